package org.lsmtree.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./bench --kafka}: the same Kafka Streams topologies ({@link KafkaWorkload}) with Kafka
 * Streams' default RocksDB stores and with lsmtree's ({@code LsmDslStoreSuppliers}), each run in a
 * JVM of its own ({@link KafkaRun}, same heap flags for all) on the same seeded input, driven by
 * {@code TopologyTestDriver} without a broker. Prints records per second, the state directory's
 * size, the heap after a GC and the resident set side by side, after checking that the stores
 * ended with the same contents (entries, sum of values and a checksum of every key and value) and
 * that the sum is what the input implies, so a broken store cannot look fast. Exit code 1 when a
 * run fails or the stores disagree, 2 on bad flags.
 */
public final class KafkaBench {
    static final String USAGE = """
            usage: bench --kafka [flags]   (--name=value or --name value)
              --num N               input records per workload (1000000)
              --workloads LIST      wordcount,aggregate (both)
              --stores LIST         rocksdb,lsmtree (both, in this order)
              --seed N              seed of the input (301)
              --heap SIZE           -Xms and -Xmx of every forked JVM (1g)
              --dir DIR             where the state directories go (a temp directory, deleted after)
              --markdown FILE       the table in Markdown too
            TopologyTestDriver commits after every record: a commit per record is what is measured.
            """;

    /** What a run is asked to do. */
    record Plan(int num, List<KafkaWorkload> workloads, List<String> stores, long seed, String heap, Path directory,
            boolean temporary, Path markdown) {}

    static final Set<String> FLAGS = Set.of("num", "workloads", "stores", "seed", "heap", "dir", "markdown");
    static final Set<String> SWITCHES = Set.of("help", "kafka");

    private KafkaBench() {}

    public static void main(String[] args) throws Exception {
        Plan plan;
        try {
            Flags flags = Flags.parse(args, FLAGS, SWITCHES);
            if (flags.has("help")) {
                System.out.print(USAGE);
                return;
            }
            plan = plan(flags);
        } catch (IllegalArgumentException e) {
            System.err.println("bench --kafka: " + e.getMessage());
            System.err.println("bench --kafka --help lists the flags");
            System.exit(2);
            return;
        }
        try {
            run(plan, System.out);
        } catch (IllegalStateException e) {
            System.err.println("bench --kafka: " + e.getMessage());
            System.exit(1);
        }
    }

    static Plan plan(Flags flags) throws IOException {
        int num = flags.integer("num", 1_000_000);
        if (num < 1) {
            throw new IllegalArgumentException("--num must be at least 1, got " + num);
        }
        List<KafkaWorkload> workloads = new ArrayList<>();
        for (String name : flags.string("workloads", "wordcount,aggregate").split(",")) {
            workloads.add(KafkaWorkload.of(name));
        }
        List<String> stores = List.of(flags.string("stores", "rocksdb,lsmtree").split(","));
        for (String store : stores) {
            KafkaRun.config(store, Path.of(".")); // the names checked before any JVM starts
        }
        if (new HashSet<>(stores).size() != stores.size()) {
            throw new IllegalArgumentException("--stores names a store twice: " + stores);
        }
        String heap = EngineFork.heap(flags);
        boolean temporary = !flags.has("dir");
        Path directory = temporary ? Files.createTempDirectory("lsm-bench-kafka") : Path.of(flags.string("dir", null));
        Path markdown = flags.has("markdown") ? Path.of(flags.string("markdown", null)) : null;
        return new Plan(num, workloads, stores, flags.longValue("seed", 301), heap, directory, temporary, markdown);
    }

    /** Runs every workload on every store, checks that the stores agree, prints (and writes) the table. */
    static List<KafkaMeasurement> run(Plan plan, PrintStream out) throws IOException, InterruptedException {
        EngineFork fork = new EngineFork(plan.heap());
        List<String> header = List.of(
                String.format(Locale.ROOT, "lsm-bench --kafka: %s over %,d input records each, seed %d",
                        plan.workloads().stream().map(w -> w.label).toList(), plan.num(), plan.seed()),
                "Kafka Streams' TopologyTestDriver (no broker, record cache off): it commits after every record, "
                        + "so every store is measured under one commit per record",
                "each store in its own JVM: java " + String.join(" ", fork.jvmFlags()),
                DbBench.machine());
        header.forEach(out::println);
        out.flush();
        Files.createDirectories(plan.directory());
        List<KafkaMeasurement> results = new ArrayList<>();
        try {
            for (KafkaWorkload workload : plan.workloads()) {
                for (String store : plan.stores()) {
                    results.add(runOne(fork, plan, workload, store));
                }
                check(results.subList(results.size() - plan.stores().size(), results.size()));
            }
        } finally {
            if (plan.temporary()) {
                DiskUsage.delete(plan.directory());
            }
        }
        out.println();
        String table = table(results);
        out.print(table);
        if (plan.markdown() != null) {
            Files.writeString(plan.markdown(), "- " + String.join("\n- ", header) + "\n\n" + table,
                    StandardCharsets.UTF_8);
            out.println("wrote " + plan.markdown());
        }
        return results;
    }

    private static KafkaMeasurement runOne(EngineFork fork, Plan plan, KafkaWorkload workload, String store)
            throws IOException, InterruptedException {
        Path stateDir = plan.directory().resolve(workload.label + "-" + store);
        Path json = plan.directory().resolve(workload.label + "-" + store + ".json");
        try {
            fork.fork(KafkaRun.class, List.of("--store", store, "--workload", workload.label, "--num",
                    Integer.toString(plan.num()), "--seed", Long.toString(plan.seed()), "--dir", stateDir.toString(),
                    "--out", json.toString()), store + " failed on " + workload.label);
            return new ObjectMapper().readValue(json.toFile(), KafkaMeasurement.class);
        } finally {
            DiskUsage.delete(stateDir);
            DiskUsage.delete(json);
        }
    }

    /** The runs of one workload must end with the same store contents, and the sum the input implies. */
    static void check(List<KafkaMeasurement> runs) {
        KafkaMeasurement first = runs.get(0);
        for (KafkaMeasurement run : runs) {
            if (run.valueSum() != run.expectedSum()) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s on %s: the store's values add up "
                        + "to %d, the input to %d", run.store(), run.workload(), run.valueSum(), run.expectedSum()));
            }
            if (run.entries() != first.entries() || run.valueSum() != first.valueSum()
                    || run.checksum() != first.checksum()) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s on %s: the stores disagree: %s has "
                        + "%d entries summing to %d (checksum %08x), %s has %d summing to %d (checksum %08x)",
                        run.store(), run.workload(), first.store(), first.entries(), first.valueSum(),
                        first.checksum(), run.store(), run.entries(), run.valueSum(), run.checksum()));
            }
        }
    }

    /** A Markdown table, one row per run. */
    static String table(List<KafkaMeasurement> results) {
        StringBuilder table = new StringBuilder("| workload | store | records/s | seconds | state dir | heap after GC "
                + "| RSS | peak RSS | entries | checksum |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (KafkaMeasurement r : results) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %s | %s | %s | %s | %,d | %08x |%n",
                    r.workload(), r.store(), r.recordsPerSecond(), r.seconds(), mib(r.stateBytes()),
                    mib(r.heapBytes()), mib(r.rssBytes()), mib(r.peakRssBytes()), r.entries(), r.checksum()));
        }
        return table.toString();
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
