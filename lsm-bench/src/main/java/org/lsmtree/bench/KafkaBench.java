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
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code ./bench --kafka}: the same Kafka Streams topologies ({@link KafkaWorkload}) with Kafka
 * Streams' default RocksDB stores and with lsmtree's ({@code LsmDslStoreSuppliers}), each run in a
 * JVM of its own (same heap flags for all) on the same seeded input: by default driven by
 * {@code TopologyTestDriver} without a broker ({@link KafkaRun}, a commit per record); with
 * {@code --broker}, on a real one-node KRaft broker in the run's JVM with Kafka Streams' real
 * commit intervals ({@link KafkaBrokerRun}). Each store runs {@code --rounds} times (the stores
 * alternate); the table gives the median round by records per second, with the slowest and
 * fastest, the state directory's size, the heap after a GC and the resident set, after checking
 * that every run of a workload ended with the same store contents (entries, sum of values and a
 * checksum of every key and value) and the sum the input implies, so a broken store cannot look
 * fast. Exit code 1 when a run fails or the stores disagree, 2 on bad flags.
 */
public final class KafkaBench {
    static final String USAGE = """
            usage: bench --kafka [flags]   (--name=value or --name value)
              --num N               input records per workload (1000000)
              --workloads LIST      wordcount,aggregate,windowed,session (all)
              --stores LIST         rocksdb,lsmtree (both, in this order)
              --rounds N            runs of each store per workload; the table shows the median (1)
              --seed N              seed of the input (301)
              --heap SIZE           -Xms and -Xmx of every forked JVM (1g)
              --dir DIR             where the state directories go (a temp directory, deleted after)
              --markdown FILE       the table in Markdown too
              --broker              on a real in-process KRaft broker instead of TopologyTestDriver
              --guarantees LIST     with --broker: at_least_once,exactly_once_v2 (both)
              --commit-ms N         with --broker: commit.interval.ms (Kafka's default per guarantee:
                                    30000 at-least-once, 100 exactly-once)
              --partitions N        with --broker: partitions of the input topic (1)
              --sync-ms N           lsmtree's lsm.commit.sync.interval.ms (its default, 10000; 0: a
                                    sync at every commit, as before the commit policy)
            Without --broker, TopologyTestDriver commits after every record: a commit per record is measured.
            """;

    /** What a run is asked to do ({@code commitMs} -1: Kafka's default of each guarantee). */
    record Plan(int num, List<KafkaWorkload> workloads, List<String> stores, int rounds, long seed, String heap,
            Path directory, boolean temporary, Path markdown, boolean broker, List<String> guarantees, long commitMs,
            int partitions, long syncMs) {}

    static final Set<String> FLAGS = Set.of("num", "workloads", "stores", "rounds", "seed", "heap", "dir", "markdown",
            "guarantees", "commit_ms", "partitions", "sync_ms");
    static final Set<String> SWITCHES = Set.of("help", "kafka", "broker");

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
        int rounds = flags.integer("rounds", 1);
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        List<KafkaWorkload> workloads = new ArrayList<>();
        for (String name : flags.string("workloads", "wordcount,aggregate,windowed,session").split(",")) {
            workloads.add(KafkaWorkload.of(name));
        }
        List<String> stores = List.of(flags.string("stores", "rocksdb,lsmtree").split(","));
        for (String store : stores) {
            KafkaRun.useStore(new java.util.Properties(), store); // the names checked before any JVM starts
        }
        if (new HashSet<>(stores).size() != stores.size()) {
            throw new IllegalArgumentException("--stores names a store twice: " + stores);
        }
        boolean broker = flags.has("broker");
        List<String> guarantees = List.of(flags.string("guarantees",
                StreamsConfig.AT_LEAST_ONCE + "," + StreamsConfig.EXACTLY_ONCE_V2).split(","));
        for (String guarantee : guarantees) {
            KafkaBrokerRun.defaultCommitMs(guarantee); // the names checked before any JVM starts
        }
        long commitMs = flags.longValue("commit_ms", -1);
        int partitions = flags.integer("partitions", 1);
        if (!broker && (flags.has("guarantees") || flags.has("commit_ms") || flags.has("partitions"))) {
            throw new IllegalArgumentException("--guarantees, --commit-ms and --partitions need --broker "
                    + "(TopologyTestDriver commits after every record, on one partition)");
        }
        if (partitions < 1 || (flags.has("commit_ms") && commitMs < 0)
                || (flags.has("sync_ms") && flags.longValue("sync_ms", -1) < 0)) {
            throw new IllegalArgumentException("--partitions must be at least 1, --commit-ms and --sync-ms at least 0");
        }
        String heap = EngineFork.heap(flags);
        boolean temporary = !flags.has("dir");
        Path directory = temporary ? Files.createTempDirectory("lsm-bench-kafka") : Path.of(flags.string("dir", null));
        Path markdown = flags.has("markdown") ? Path.of(flags.string("markdown", null)) : null;
        return new Plan(num, workloads, stores, rounds, flags.longValue("seed", 301), heap, directory, temporary,
                markdown, broker, broker ? guarantees : List.of(StreamsConfig.AT_LEAST_ONCE), commitMs, partitions,
                flags.longValue("sync_ms", -1));
    }

    /** Runs every workload on every store, checks that the runs agree, prints (and writes) the table of medians. */
    static List<KafkaMeasurement> run(Plan plan, PrintStream out) throws IOException, InterruptedException {
        EngineFork fork = new EngineFork(plan.heap());
        List<String> header = header(plan, fork);
        header.forEach(out::println);
        out.flush();
        Files.createDirectories(plan.directory());
        List<KafkaMeasurement> results = new ArrayList<>();
        try {
            for (KafkaWorkload workload : plan.workloads()) {
                int first = results.size();
                for (int round = 1; round <= plan.rounds(); round++) {
                    List<String> order = new ArrayList<>(plan.stores());
                    java.util.Collections.rotate(order, -(round - 1)); // the stores alternate who goes first
                    for (String store : order) {
                        results.addAll(runOne(fork, plan, workload, store, round));
                    }
                }
                List<KafkaMeasurement> runs = results.subList(first, results.size());
                for (String guarantee : plan.guarantees()) {
                    check(runs.stream().filter(r -> r.guarantee().equals(guarantee)).toList());
                }
            }
        } finally {
            if (plan.temporary()) {
                DiskUsage.delete(plan.directory());
            }
        }
        out.println();
        String table = table(results, plan.stores());
        out.print(table);
        if (plan.markdown() != null) {
            Files.writeString(plan.markdown(), "- " + String.join("\n- ", header) + "\n\n" + table,
                    StandardCharsets.UTF_8);
            out.println("wrote " + plan.markdown());
        }
        return results;
    }

    private static List<String> header(Plan plan, EngineFork fork) {
        String mode = plan.broker()
                ? String.format(Locale.ROOT, "a one-node KRaft broker in each run's JVM (one per store and "
                        + "guarantee; loopback), input topic of %d partition(s), one stream thread, record cache off; "
                        + "%s, commit.interval.ms %s",
                        plan.partitions(), String.join(" and ", plan.guarantees()),
                        plan.commitMs() < 0 ? "Kafka's default (30000 at-least-once, 100 exactly-once)"
                                : Long.toString(plan.commitMs()))
                : "Kafka Streams' TopologyTestDriver (no broker, record cache off): it commits after every record, "
                        + "so every store is measured under one commit per record";
        return List.of(String.format(Locale.ROOT, "lsm-bench --kafka: %s over %,d input records each, seed %d, "
                        + "%d round(s) per store (the table: median round by records/s, with min..max)",
                        plan.workloads().stream().map(w -> w.label).toList(), plan.num(), plan.seed(), plan.rounds()),
                mode + (plan.syncMs() < 0 ? "" : "; lsmtree's lsm.commit.sync.interval.ms " + plan.syncMs()),
                "each store in its own JVM: java " + String.join(" ", fork.jvmFlags()), DbBench.machine());
    }

    private static List<KafkaMeasurement> runOne(EngineFork fork, Plan plan, KafkaWorkload workload, String store,
            int round) throws IOException, InterruptedException {
        String label = workload.label + "-" + store + "-" + round;
        Path stateDir = plan.directory().resolve(label);
        Path json = plan.directory().resolve(label + ".json");
        List<String> arguments = new ArrayList<>(List.of("--store", store, "--workload", workload.label, "--num",
                Integer.toString(plan.num()), "--seed", Long.toString(plan.seed()), "--dir", stateDir.toString(),
                "--out", json.toString(), "--round", Integer.toString(round), "--sync-ms",
                Long.toString(plan.syncMs())));
        try {
            ObjectMapper mapper = new ObjectMapper();
            if (!plan.broker()) {
                fork.fork(KafkaRun.class, arguments, store + " failed on " + workload.label);
                return List.of(mapper.readValue(json.toFile(), KafkaMeasurement.class));
            }
            arguments.addAll(List.of("--partitions", Integer.toString(plan.partitions())));
            if (plan.commitMs() >= 0) {
                arguments.addAll(List.of("--commit-ms", Long.toString(plan.commitMs())));
            }
            List<KafkaMeasurement> runs = new ArrayList<>();
            // A JVM and a broker of its own for each guarantee, so that no run inherits the JIT, heap or broker
            // state of the one before. (An exactly-once run after an at-least-once one on the same broker
            // once stalled: that was the broker deleting the input by time retention, see KafkaBroker.)
            for (String guarantee : plan.guarantees()) {
                List<String> withGuarantee = new ArrayList<>(arguments);
                withGuarantee.addAll(List.of("--guarantees", guarantee));
                fork.fork(KafkaBrokerRun.class, withGuarantee, store + " failed on " + workload.label + " under "
                        + guarantee + " (broker)");
                runs.addAll(List.of(mapper.readValue(json.toFile(), KafkaMeasurement[].class)));
                DiskUsage.delete(stateDir);
            }
            return runs;
        } finally {
            DiskUsage.delete(stateDir);
            DiskUsage.delete(json);
        }
    }

    /** The runs of one workload and guarantee must end with the same store contents, and the sum the input implies. */
    static void check(List<KafkaMeasurement> runs) {
        if (runs.isEmpty()) {
            return;
        }
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

    /** The median run of each group (workload, mode, guarantee, store) by records/s: lower median for an even count. */
    static List<KafkaMeasurement> medians(List<KafkaMeasurement> results) {
        Map<String, List<KafkaMeasurement>> groups = new LinkedHashMap<>();
        results.forEach(r -> groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        List<KafkaMeasurement> medians = new ArrayList<>();
        for (List<KafkaMeasurement> group : groups.values()) {
            List<KafkaMeasurement> sorted = new ArrayList<>(group);
            sorted.sort(Comparator.comparingDouble(KafkaMeasurement::recordsPerSecond));
            medians.add(sorted.get((sorted.size() - 1) / 2));
        }
        return medians;
    }

    /** A Markdown table, one row per workload, mode, guarantee and store (in {@code stores} order): the median round. */
    static String table(List<KafkaMeasurement> results, List<String> stores) {
        Map<String, List<KafkaMeasurement>> groups = new LinkedHashMap<>();
        results.forEach(r -> groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        List<KafkaMeasurement> medians = new ArrayList<>(medians(results));
        List<String> rows = results.stream().map(r -> r.workload() + "|" + r.mode() + "|" + r.guarantee()).distinct()
                .toList(); // in the order they ran
        medians.sort(Comparator.comparingInt((KafkaMeasurement r) -> rows.indexOf(r.workload() + "|" + r.mode() + "|"
                + r.guarantee())).thenComparingInt(r -> stores.indexOf(r.store())));
        StringBuilder table = new StringBuilder("| workload | guarantee | commit | store | records/s | min..max "
                + "| seconds | state dir | heap after GC | RSS | peak RSS | entries | checksum |\n"
                + "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (KafkaMeasurement r : medians) {
            DoubleSummaryStatistics rates = groups.get(r.group()).stream()
                    .mapToDouble(KafkaMeasurement::recordsPerSecond).summaryStatistics();
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,.0f | %,.0f..%,.0f | %.1f | %s | %s | %s "
                    + "| %s | %,d | %08x |%n", r.workload(), r.guarantee(), r.mode().equals("driver") ? "every record"
                    : r.commitIntervalMs() + " ms", r.store(), r.recordsPerSecond(), rates.getMin(), rates.getMax(),
                    r.seconds(), mib(r.stateBytes()), mib(r.heapBytes()), mib(r.rssBytes()), mib(r.peakRssBytes()),
                    r.entries(), r.checksum()));
        }
        return table.toString();
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
