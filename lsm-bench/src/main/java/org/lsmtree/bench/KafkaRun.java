package org.lsmtree.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.lsmtree.kafka.LsmDslStoreSuppliers;
import org.lsmtree.kafka.LsmStores;

/**
 * The JVM of one Kafka Streams run, forked by {@link KafkaBench}: pipes {@code --num} seeded records
 * of {@code --workload} through {@link TopologyTestDriver} (the real processors, task, state
 * manager and stores, in-process, no broker) with the DSL stores on {@code --store} ({@code rocksdb},
 * Kafka Streams' default, or {@code lsmtree} through {@link LsmDslStoreSuppliers}), then measures
 * the state directory, the heap after a GC and the resident set while the stores are still open,
 * reads the whole store back into a checksum, and writes a {@link KafkaMeasurement} as JSON to
 * {@code --out}. The driver commits after every record. Progress goes to standard error; exit code
 * 1 when the run fails. The records the driver keeps of every topic written are dropped as the
 * run goes ({@link #drainProduced}), so the heap holds the stores and Kafka Streams, not them.
 */
public final class KafkaRun {
    private static final int DRAIN_EVERY = 1000;
    private static final ByteArrayDeserializer BYTES = new ByteArrayDeserializer();
    private static final ByteArraySerializer BYTES_OUT = new ByteArraySerializer();

    static final Set<String> FLAGS = Set.of("store", "workload", "num", "seed", "dir", "out", "round", "sync_ms");

    private KafkaRun() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, FLAGS, Set.of());
        try {
            KafkaMeasurement result = run(flags.string("store", "lsmtree"),
                    KafkaWorkload.of(flags.string("workload", "wordcount")), flags.integer("num", 1_000_000),
                    flags.longValue("seed", 301), Path.of(flags.string("dir", null)), flags.integer("round", 1),
                    flags.longValue("sync_ms", -1));
            new ObjectMapper().writeValue(Path.of(flags.string("out", null)).toFile(), result);
        } catch (Exception | AssertionError e) {
            System.err.println("kafka run: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Properties config(String store, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lsm-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"); // never contacted
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0); // every update reaches the store
        useStore(props, store);
        return props;
    }

    /** For lsmtree's stores, sets their commit sync interval to {@code syncMs} when it is not negative. */
    static void syncInterval(Properties props, String store, long syncMs) {
        if (store.equals("lsmtree") && syncMs >= 0) {
            props.put(LsmStores.COMMIT_SYNC_INTERVAL_MS_CONFIG, syncMs);
        }
    }

    /** Puts the DSL stores of {@code props} on {@code store}: {@code rocksdb} (Kafka Streams' default) or {@code lsmtree}. */
    static void useStore(Properties props, String store) {
        switch (store) {
            case "rocksdb" -> { } // Kafka Streams' default DSL stores
            case "lsmtree" -> props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                    LsmDslStoreSuppliers.class.getName());
            default -> throw new IllegalArgumentException("unknown store '" + store + "' (rocksdb, lsmtree)");
        }
    }

    static KafkaMeasurement run(String store, KafkaWorkload workload, int num, long seed, Path stateDir, int round,
            long syncMs) throws IOException {
        Files.createDirectories(stateDir);
        Properties props = config(store, stateDir);
        syncInterval(props, store, syncMs);
        try (TopologyTestDriver driver = new TopologyTestDriver(workload.topology(num), props)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(KafkaWorkload.INPUT, BYTES_OUT, BYTES_OUT);
            long[] piped = {0};
            int step = Math.max(1, num / 10);
            long start = System.nanoTime();
            long expectedSum = workload.generate(num, seed, (key, value, timestamp) -> {
                input.pipeInput(key, value, timestamp);
                if (++piped[0] % DRAIN_EVERY == 0) {
                    drainProduced(driver);
                }
                if (piped[0] % step == 0) {
                    System.err.printf(Locale.ROOT, "  %-8s %-10s %,d records, %.0f s%n", store, workload.label,
                            piped[0], (System.nanoTime() - start) / 1e9);
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            drainProduced(driver);
            KafkaMeasurement.Footprint footprint = footprint(stateDir);
            KafkaWorkload.Contents contents = workload.contents(new KafkaWorkload.StoreAccess() {
                @Override
                public ReadOnlyKeyValueStore<String, Long> keyValueStore(String name) {
                    return driver.getKeyValueStore(name);
                }

                @Override
                public ReadOnlyWindowStore<String, Long> windowStore(String name) {
                    return driver.getWindowStore(name);
                }

                @Override
                public ReadOnlySessionStore<String, Long> sessionStore(String name) {
                    return driver.getSessionStore(name);
                }
            });
            return KafkaMeasurement.of(store, workload, "driver", StreamsConfig.AT_LEAST_ONCE, 0, round, num, seconds,
                    footprint, contents, expectedSum);
        }
    }

    /** The state directory's bytes, the heap after a full GC and the resident set, now. */
    static KafkaMeasurement.Footprint footprint(Path stateDir) throws IOException {
        long stateBytes = DiskUsage.directoryBytes(stateDir);
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new KafkaMeasurement.Footprint(stateBytes, heap, procStatusBytes("VmRSS:"), procStatusBytes("VmHWM:"));
    }

    /**
     * Drops the records the driver has kept of every topic written (repartition and changelog
     * topics included): it keeps them all for the test to read, which would otherwise fill the
     * heap alike for every store and hide what the stores hold. Returns how many it dropped.
     */
    static long drainProduced(TopologyTestDriver driver) {
        long dropped = 0;
        for (String topic : driver.producedTopicNames()) {
            dropped += driver.createOutputTopic(topic, BYTES, BYTES).readRecordsToList().size();
        }
        return dropped;
    }

    /** A {@code /proc/self/status} line's value in bytes (it is given in kB), or -1 off Linux. */
    static long procStatusBytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
