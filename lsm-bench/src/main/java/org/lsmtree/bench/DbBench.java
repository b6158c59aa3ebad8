package org.lsmtree.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * lsm-bench: db_bench's workloads on lsmtree and its peers, measured fairly. Each engine runs
 * every workload in order in a JVM of its own ({@link EngineRun}, same JVM flags for all) and a
 * fresh directory; the engines take turns in an order that rotates from round to round; the table
 * gives the median round with the slowest and fastest, found counts and entries seen (checked
 * against what was written), write and space amplification, and lsmtree's ratio to each peer.
 * Native RocksDB's db_bench, when installed, runs as a C++ reference in the same rotation. Writes
 * the table to standard output, and a JSON file, a Markdown table and a PNG chart (drawn from the
 * JSON) to files.
 *
 * <p>Run: {@code ./bench} from the repository root (it builds the module when needed); {@code
 * ./bench --help} lists the flags; docs/benchmarks.md says more. {@code ./bench --kafka} runs
 * {@link KafkaBench} instead.
 */
public final class DbBench {
    static final String USAGE = """
            usage: bench [flags]   (--name=value or --name value)
              --num N               keys in the store (1000000)
              --value_size N        bytes per value (100)
              --key_size N          bytes per key, keys are %%0<N>d (16)
              --threads N           threads of readrandom, readmissing, readhot, seekrandom (1)
              --benchmarks LIST     workloads in order (%s)
              --engines LIST        lsmtree,rocksdb,leveldb (leveldb is iq80 0.12)
              --rounds N            rounds; the engines' order rotates each round (3)
              --seed N              seed of every key order and value (301)
              --heap SIZE           -Xms and -Xmx of every engine JVM (1g)
              --db_bench PATH|auto|off  native RocksDB db_bench as the C++ reference (auto: on the PATH)
              --json FILE           results as JSON (bench-results/db_bench.json)
              --chart FILE          PNG chart drawn from the JSON (the JSON's name with .png)
              --markdown FILE       the table in Markdown (the JSON's name with .md)
              --dir DIR             where the stores go, a fresh directory per engine (a temp directory)
              --note TEXT           a line for the header (say, what else the machine was doing)
              --kafka               the Kafka Streams benchmark instead (bench --kafka --help)
              --from FILE           run nothing: print the table of an earlier run's JSON and draw its
                                    chart and Markdown again (to --chart and --markdown, or beside FILE)
            """;

    /** What a run is asked to do. */
    record Plan(BenchSettings settings, String benchmarks, List<EngineKind> engines, int rounds, String heap,
            String dbBench, Path json, Path chart, Path markdown, Path directory, boolean temporary, String note) {}

    private DbBench() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--kafka")) {
            KafkaBench.main(args); // a benchmark of its own: Kafka Streams on RocksDB and on lsmtree
            return;
        }
        Plan plan;
        try {
            Set<String> known = new HashSet<>(Flags.SETTINGS);
            known.addAll(Set.of("engines", "rounds", "heap", "db_bench", "json", "chart", "markdown", "dir", "note",
                    "from"));
            Flags flags = Flags.parse(args, known, Set.of("help"));
            if (flags.has("help")) {
                System.out.printf(Locale.ROOT, USAGE, Workload.DEFAULT_LIST);
                return;
            }
            if (flags.has("from")) {
                redraw(Path.of(flags.string("from", null)), flags, System.out);
                return;
            }
            plan = plan(flags);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("bench --help lists the flags");
            System.exit(2);
            return;
        }
        try {
            run(plan, System.out);
        } catch (IllegalStateException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        }
    }

    static Plan plan(Flags flags) throws IOException {
        BenchSettings settings = flags.settings();
        String benchmarks = flags.string("benchmarks", Workload.DEFAULT_LIST);
        Workload.parseList(benchmarks); // names checked here, before any JVM starts
        List<EngineKind> engines = new ArrayList<>();
        for (String name : flags.string("engines", "lsmtree,rocksdb,leveldb").split(",")) {
            EngineKind kind = EngineKind.of(name);
            if (engines.contains(kind)) {
                throw new IllegalArgumentException("--engines names " + kind.label + " twice");
            }
            engines.add(kind);
        }
        int rounds = flags.integer("rounds", 3);
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        String heap = EngineFork.heap(flags);
        Path json = Path.of(flags.string("json", "bench-results/db_bench.json"));
        String base = json.getFileName().toString().replaceFirst("\\.json$", "");
        Path chart = Path.of(flags.string("chart", json.resolveSibling(base + ".png").toString()));
        Path markdown = Path.of(flags.string("markdown", json.resolveSibling(base + ".md").toString()));
        boolean temporary = !flags.has("dir");
        Path directory = temporary ? Files.createTempDirectory("lsm-bench") : Path.of(flags.string("dir", null));
        return new Plan(settings, benchmarks, engines, rounds, heap, flags.string("db_bench", "auto"), json, chart,
                markdown, directory, temporary, flags.string("note", null));
    }

    /** Runs every round, prints the table, writes the JSON, the Markdown and the chart. */
    static ResultsFile run(Plan plan, PrintStream out) throws IOException, InterruptedException {
        Optional<NativeRocksDb> cxx = NativeRocksDb.locate(plan.dbBench());
        EngineFork fork = new EngineFork(plan.heap());
        List<String> participants = new ArrayList<>(plan.engines().stream().map(kind -> kind.label).toList());
        cxx.ifPresent(c -> participants.add(NativeRocksDb.LABEL));
        header(plan, fork, cxx, participants).forEach(out::println);
        out.println();
        Files.createDirectories(plan.directory());
        List<Measurement> runs = new ArrayList<>();
        for (int round = 1; round <= plan.rounds(); round++) {
            List<String> order = rotated(participants, round - 1);
            out.println("round " + round + " of " + plan.rounds() + ": " + String.join(", ", order));
            out.flush();
            for (String participant : order) {
                Path directory = plan.directory().resolve("round" + round + "-" + participant);
                if (participant.equals(NativeRocksDb.LABEL)) {
                    runs.addAll(cxx.orElseThrow().run(plan.settings(), plan.benchmarks(), directory));
                } else {
                    runs.addAll(fork.run(EngineKind.of(participant), plan.settings(), plan.benchmarks(), directory,
                            round));
                }
            }
        }
        if (plan.temporary()) {
            DiskUsage.delete(plan.directory());
        }
        List<Summary.Row> rows = Summary.rows(runs, participants);
        ResultsFile results = new ResultsFile(header(plan, fork, cxx, participants), plan.settings(),
                Workload.parseList(plan.benchmarks()).stream().map(Workload::label).toList(), participants,
                plan.rounds(), rows, Summary.ratios(rows), runs);
        results.write(plan.json());
        out.println();
        write(ResultsFile.read(plan.json()), plan.markdown(), plan.chart(), out); // drawn from the JSON

        out.println();
        out.println("wrote " + plan.json() + ", " + plan.markdown() + " and " + plan.chart());
        return results;
    }

    /** Prints the table of an earlier run's JSON and writes its Markdown and chart again. */
    static void redraw(Path json, Flags flags, PrintStream out) throws IOException {
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException("--from " + json + ": no such file");
        }
        ResultsFile results = ResultsFile.read(json);
        String base = json.getFileName().toString().replaceFirst("\\.json$", "");
        Path chart = Path.of(flags.string("chart", json.resolveSibling(base + ".png").toString()));
        Path markdown = Path.of(flags.string("markdown", json.resolveSibling(base + ".md").toString()));
        write(results, markdown, chart, out);
    }

    private static void write(ResultsFile results, Path markdown, Path chart, PrintStream out) throws IOException {
        ReportTable.print(results, out);
        Files.writeString(markdown, "- " + String.join("\n- ", results.header()) + "\n\n"
                + ReportTable.markdown(results), StandardCharsets.UTF_8);
        BenchChart.draw(results, chart);
    }

    static List<String> header(Plan plan, EngineFork fork, Optional<NativeRocksDb> cxx, List<String> participants) {
        List<String> lines = new ArrayList<>();
        lines.add("lsm-bench: " + plan.benchmarks());
        lines.addAll(plan.settings().describe());
        for (EngineKind kind : plan.engines()) {
            lines.add(kind.label + (kind.lacks().isEmpty() ? ": has every knob above"
                    : ": lacks " + String.join("; ", kind.lacks())));
        }
        cxx.ifPresentOrElse(c -> lines.add(c.describe()),
                () -> lines.add("no C++ reference (db_bench not found, or --db_bench off)"));
        lines.add("each engine in its own JVM: java " + String.join(" ", fork.jvmFlags())
                + "; a fresh directory per engine and round");
        lines.add(String.format(Locale.ROOT, "%d round(s), order rotating (round 1: %s); figures are the median "
                + "round, with min..max", plan.rounds(), String.join(", ", participants)));
        lines.add(machine());
        if (plan.note() != null) {
            lines.add("note: " + plan.note());
        }
        return lines;
    }

    static String machine() {
        Runtime runtime = Runtime.getRuntime();
        String cpu = "unknown cpu";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // not Linux: the model stays unknown
        }
        long memory = -1;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return String.format(Locale.ROOT, "machine: %d cores (%s), %s memory, %s %s, Java %s", runtime
                .availableProcessors(), cpu, memory < 0 ? "unknown" : (memory >> 30) + " GiB",
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    static <T> List<T> rotated(List<T> items, int by) {
        List<T> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(items.get((i + by) % items.size()));
        }
        return order;
    }
}
