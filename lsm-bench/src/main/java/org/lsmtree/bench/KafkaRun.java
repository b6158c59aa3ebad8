package org.lsmtree.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.zip.CRC32C;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lsmtree.kafka.LsmDslStoreSuppliers;

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

    static final Set<String> FLAGS = Set.of("store", "workload", "num", "seed", "dir", "out");

    private KafkaRun() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, FLAGS, Set.of());
        try {
            KafkaMeasurement result = run(flags.string("store", "lsmtree"),
                    KafkaWorkload.of(flags.string("workload", "wordcount")), flags.integer("num", 1_000_000),
                    flags.longValue("seed", 301), Path.of(flags.string("dir", null)));
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
        switch (store) {
            case "rocksdb" -> { } // Kafka Streams' default DSL stores
            case "lsmtree" -> props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                    LsmDslStoreSuppliers.class.getName());
            default -> throw new IllegalArgumentException("unknown store '" + store + "' (rocksdb, lsmtree)");
        }
        return props;
    }

    static KafkaMeasurement run(String store, KafkaWorkload workload, int num, long seed, Path stateDir)
            throws IOException {
        Files.createDirectories(stateDir);
        try (TopologyTestDriver driver = new TopologyTestDriver(workload.topology(), config(store, stateDir))) {
            long[] piped = {0};
            int step = Math.max(1, num / 10);
            long start = System.nanoTime();
            long expectedSum = workload.feed(driver, num, seed, () -> {
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
            long stateBytes = DiskUsage.directoryBytes(stateDir);
            System.gc();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long rss = procStatusBytes("VmRSS:");
            long peakRss = procStatusBytes("VmHWM:");
            KeyValueStore<String, Long> counts = driver.getKeyValueStore(workload.storeName);
            CRC32C crc = new CRC32C();
            long entries = 0;
            long sum = 0;
            try (KeyValueIterator<String, Long> all = counts.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> entry = all.next();
                    crc.update(entry.key.getBytes(StandardCharsets.UTF_8));
                    crc.update(ByteBuffer.allocate(Long.BYTES).putLong(entry.value).flip());
                    entries++;
                    sum += entry.value;
                }
            }
            return new KafkaMeasurement(store, workload.label, num, seconds, num / seconds, stateBytes, heap, rss,
                    peakRss, entries, sum, expectedSum, crc.getValue());
        }
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
