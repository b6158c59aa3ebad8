package org.lsmtree.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The JVM of one Kafka Streams run on a real broker, forked by {@link KafkaBench} with
 * {@code --broker}: starts a one-node KRaft cluster in this JVM ({@link KafkaBroker}, loopback
 * only), produces {@code --num} seeded records of {@code --workload} to a topic of
 * {@code --partitions} partitions (not timed), then, for each processing guarantee of
 * {@code --guarantees}, runs the topology in a {@link KafkaStreams} instance of its own
 * (application id and state directory per guarantee; one stream thread; record cache off) with the
 * DSL stores on {@code --store}, with Kafka Streams' commit interval of that guarantee (30 s
 * at-least-once, 100 ms exactly-once, or {@code --commit-ms}) and, under exactly-once,
 * {@code enable.transactional.statestores=true}. Timed from the first store update to the last
 * one the input implies (a run fails after {@link #IDLE} without an update, or after
 * {@code --timeout-s} in all); then the state directory, heap and resident set are measured, the
 * store is read back through interactive queries, and the instance is closed. Writes a JSON list of
 * {@link KafkaMeasurement}s to {@code --out}. Progress goes to standard error; exit code 1 when
 * the run fails.
 */
public final class KafkaBrokerRun {
    static final Set<String> FLAGS = Set.of("store", "workload", "num", "seed", "dir", "out", "round", "guarantees",
            "commit_ms", "partitions", "timeout_s", "sync_ms");

    /** A run with no store update for this long has stalled (startup and rebalance included) and fails. */
    static final Duration IDLE = Duration.ofMinutes(3);

    private KafkaBrokerRun() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, FLAGS, Set.of());
        try {
            Path dir = Path.of(flags.string("dir", null));
            List<KafkaMeasurement> results = new ArrayList<>();
            try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
                KafkaWorkload workload = KafkaWorkload.of(flags.string("workload", "wordcount"));
                int num = flags.integer("num", 100_000);
                long expectedSum = produce(broker, workload, num, flags.longValue("seed", 301),
                        flags.integer("partitions", 1));
                for (String guarantee : flags.string("guarantees", StreamsConfig.AT_LEAST_ONCE).split(",")) {
                    long commitMs = flags.longValue("commit_ms", defaultCommitMs(guarantee));
                    results.add(run(broker, flags.string("store", "lsmtree"), workload, num, expectedSum, guarantee,
                            commitMs, dir.resolve("state-" + guarantee), flags.integer("round", 1),
                            Duration.ofSeconds(flags.longValue("timeout_s", 1800)), flags.longValue("sync_ms", -1)));
                }
            }
            new ObjectMapper().writeValue(Path.of(flags.string("out", null)).toFile(), results);
        } catch (Exception | AssertionError e) {
            System.err.println("kafka broker run: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the broker's and clients' leftover threads must not keep the JVM alive
    }

    /** Kafka Streams' default commit interval of {@code guarantee}. */
    static long defaultCommitMs(String guarantee) {
        return switch (guarantee) {
            case StreamsConfig.AT_LEAST_ONCE -> 30_000;
            case StreamsConfig.EXACTLY_ONCE_V2 -> 100;
            default -> throw new IllegalArgumentException("unknown guarantee '" + guarantee + "' ("
                    + StreamsConfig.AT_LEAST_ONCE + ", " + StreamsConfig.EXACTLY_ONCE_V2 + ")");
        };
    }

    /** Writes the workload's input to its topic; returns the sum the store's values must add up to. */
    private static long produce(KafkaBroker broker, KafkaWorkload workload, int num, long seed, int partitions)
            throws Exception {
        broker.createTopic(KafkaWorkload.INPUT, partitions);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10);
        long start = System.nanoTime();
        long expectedSum;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            expectedSum = workload.generate(num, seed, (key, value, timestamp) ->
                    producer.send(new ProducerRecord<>(KafkaWorkload.INPUT, null, timestamp, key, value)));
            producer.flush();
        }
        System.err.printf(Locale.ROOT, "  produced %,d records in %.1f s%n", num, (System.nanoTime() - start) / 1e9);
        return expectedSum;
    }

    static KafkaMeasurement run(KafkaBroker broker, String store, KafkaWorkload workload, int num, long expectedSum,
            String guarantee, long commitMs, Path stateDir, int round, Duration timeout, long syncMs) throws Exception {
        Files.createDirectories(stateDir);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lsm-bench-" + workload.label + "-" + guarantee);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0); // every update reaches the store
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        if (guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
            props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        }
        KafkaRun.useStore(props, store);
        KafkaRun.syncInterval(props, store, syncMs);
        long target = workload.expectedUpdates(num);
        AtomicLong updates = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        long step = Math.max(1, target / 10);
        KafkaStreams streams = new KafkaStreams(workload.topology(num, () -> {
            long n = updates.incrementAndGet();
            long now = System.nanoTime();
            if (n == 1) {
                firstNanos.set(now);
            }
            lastNanos.set(now);
            if (n % step == 0) {
                System.err.printf(Locale.ROOT, "  %-8s %-10s %-16s %,d updates, %.0f s%n", store, workload.label,
                        guarantee, n, (now - firstNanos.get()) / 1e9);
            }
        }), props);
        try {
            streams.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            long seen = -1;
            long seenAt = System.nanoTime();
            while (updates.get() < target) {
                long now = System.nanoTime();
                if (updates.get() != seen) {
                    seen = updates.get();
                    seenAt = now;
                }
                if (now > deadline || now - seenAt > IDLE.toNanos() || streams.state().hasCompletedShutdown()) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "%s on %s (%s): %,d of %,d updates "
                            + "after %s at most, none for %d s; streams %s", store, workload.label, guarantee,
                            updates.get(), target, timeout, (now - seenAt) / 1_000_000_000L, streams.state()));
                }
                Thread.sleep(5);
            }
            double seconds = Math.max(1e-9, (lastNanos.get() - firstNanos.get()) / 1e9);
            KafkaMeasurement.Footprint footprint = KafkaRun.footprint(stateDir);
            KafkaWorkload.Contents contents = workload.contents(queries(streams));
            return KafkaMeasurement.of(store, workload, "broker", guarantee, commitMs, round, num, seconds, footprint,
                    contents, expectedSum);
        } finally {
            streams.close(Duration.ofSeconds(60));
        }
    }

    /** The workload's store through interactive queries, waiting while the instance is not yet queryable. */
    private static KafkaWorkload.StoreAccess queries(KafkaStreams streams) {
        return new KafkaWorkload.StoreAccess() {
            @Override
            public ReadOnlyKeyValueStore<String, Long> keyValueStore(String name) {
                return store(streams, name, QueryableStoreTypes.keyValueStore());
            }

            @Override
            public ReadOnlyWindowStore<String, Long> windowStore(String name) {
                return store(streams, name, QueryableStoreTypes.windowStore());
            }

            @Override
            public ReadOnlySessionStore<String, Long> sessionStore(String name) {
                return store(streams, name, QueryableStoreTypes.sessionStore());
            }
        };
    }

    private static <T> T store(KafkaStreams streams, String name, QueryableStoreType<T> type) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, type));
    }
}
