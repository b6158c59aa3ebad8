package org.lsmtree.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Windowed and session-windowed counts in {@link TopologyTestDriver}, on our window and session
 * stores and on RocksDB's: identical output, record by record, over input that spans many time
 * segments, arrives out of order and partly too late (so retention drops segments on both).
 */
class WindowedTopologyParityTest {
    private static final Duration SIZE = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration GAP = Duration.ofSeconds(4);
    private static final Duration RETENTION = Duration.ofMinutes(1);

    @TempDir
    Path stateDir;

    private Properties props(String run) {
        return TopologyParityTest.driverProps("windows", stateDir.resolve(run));
    }

    private static KGroupedStream<String, String> grouped(StreamsBuilder builder) {
        return builder.stream("clicks", Consumed.with(Serdes.String(), Serdes.String())).groupByKey();
    }

    private static String windowKey(Windowed<String> key) {
        return key.key() + "@" + key.window().start() + ".." + key.window().end();
    }

    /** A windowed count; a null supplier leaves the store to the DSL (and its configured suppliers). */
    static Topology windowedCount(WindowBytesStoreSupplier supplier) {
        StreamsBuilder builder = new StreamsBuilder();
        var windowed = grouped(builder).windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE));
        (supplier == null
                ? windowed.count(Materialized.with(Serdes.String(), Serdes.Long()))
                : windowed.count(Materialized.<String, Long>as(supplier).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long())))
                .toStream((key, count) -> windowKey(key))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    static Topology sessionCount(SessionBytesStoreSupplier supplier) {
        StreamsBuilder builder = new StreamsBuilder();
        var sessions = grouped(builder).windowedBy(SessionWindows.ofInactivityGapAndGrace(GAP, GRACE));
        (supplier == null
                ? sessions.count(Materialized.with(Serdes.String(), Serdes.Long()))
                : sessions.count(Materialized.<String, Long>as(supplier).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long())))
                .toStream((key, count) -> windowKey(key))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private List<KeyValue<String, Long>> run(Topology topology, Properties props, long seed) {
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("clicks",
                    Serdes.String().serializer(), Serdes.String().serializer());
            Random random = new Random(seed);
            long time = 1_000_000L;
            for (int i = 0; i < 600; i++) {
                time += random.nextInt(2_000); // about ten minutes of stream time: many segments
                long at = random.nextInt(10) == 0 ? time - random.nextInt(90_000) : time; // late, some too late
                in.pipeInput("user-" + random.nextInt(6), "click", Instant.ofEpochMilli(at));
            }
            List<KeyValue<String, Long>> out = new ArrayList<>();
            driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.Long().deserializer())
                    .readRecordsToList().forEach(r -> out.add(KeyValue.pair(r.key(), r.value())));
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 8, 13})
    void windowedCountIsTheSameOnBothStores(long seed) {
        List<KeyValue<String, Long>> ours = run(windowedCount(
                LsmStores.persistentTimestampedWindowStore("counts", RETENTION, SIZE, false)), props("w-lsm-" + seed), seed);
        List<KeyValue<String, Long>> rocks = run(windowedCount(
                Stores.persistentTimestampedWindowStore("counts", RETENTION, SIZE, false)), props("w-rocks-" + seed), seed);
        assertThat(ours).hasSizeGreaterThan(400).isEqualTo(rocks);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 13, 21})
    void sessionCountIsTheSameOnBothStores(long seed) {
        Duration shortRetention = Duration.ofSeconds(9); // what the DSL picks: gap + grace
        List<KeyValue<String, Long>> ours = run(sessionCount(
                LsmStores.persistentSessionStore("sessions", shortRetention)), props("s-lsm-" + seed), seed);
        List<KeyValue<String, Long>> rocks = run(sessionCount(
                Stores.persistentSessionStore("sessions", shortRetention)), props("s-rocks-" + seed), seed);
        assertThat(ours).hasSizeGreaterThan(400).isEqualTo(rocks);
        assertThat(ours).anyMatch(kv -> kv.value == null); // merged sessions were removed on both
    }

    @Test
    void underExactlyOnceWithHeldWritesWindowedAndSessionCountsAreTheSame() {
        Properties ours = props("eos-lsm");
        ours.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        ours.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        ours.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LsmDslStoreSuppliers.class);
        assertThat(run(windowedCount(null), ours, 13)).isEqualTo(run(windowedCount(null), props("eos-rocks"), 13));
        Properties oursSessions = new Properties();
        oursSessions.putAll(ours);
        oursSessions.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("eos-lsm-s").toString());
        assertThat(run(sessionCount(null), oursSessions, 13)).isEqualTo(run(sessionCount(null), props("eos-rocks-s"), 13));
    }

    @Test
    void dslStoreSuppliersMoveEveryDslStoreToLsmWithTheSameOutput() {
        Properties ours = props("dsl-lsm");
        ours.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LsmDslStoreSuppliers.class);
        assertThat(run(windowedCount(null), ours, 9)).isEqualTo(run(windowedCount(null), props("dsl-rocks"), 9));
        Properties oursSessions = props("dsl-lsm-s");
        oursSessions.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LsmDslStoreSuppliers.class);
        assertThat(run(sessionCount(null), oursSessions, 9)).isEqualTo(run(sessionCount(null), props("dsl-rocks-s"), 9));
    }

    /** A stream-stream join (window stores keeping duplicates) and a KTable count (a timestamped key-value store). */
    static Topology joinAndCount() {
        StreamsBuilder builder = new StreamsBuilder();
        var clicks = builder.stream("clicks", Consumed.with(Serdes.String(), Serdes.String()));
        var views = builder.stream("views", Consumed.with(Serdes.String(), Serdes.String()));
        clicks.join(views, (click, view) -> click + "+" + view,
                        JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(3), Duration.ofSeconds(1)),
                        StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
                .groupByKey().count(Materialized.with(Serdes.String(), Serdes.Long()))
                .toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private List<KeyValue<String, Long>> runJoin(Properties props) {
        try (TopologyTestDriver driver = new TopologyTestDriver(joinAndCount(), props)) {
            TestInputTopic<String, String> clicks = driver.createInputTopic("clicks",
                    Serdes.String().serializer(), Serdes.String().serializer());
            TestInputTopic<String, String> views = driver.createInputTopic("views",
                    Serdes.String().serializer(), Serdes.String().serializer());
            Random random = new Random(21);
            long time = 0;
            for (int i = 0; i < 400; i++) {
                time += random.nextInt(1_500);
                String user = "user-" + random.nextInt(4);
                (random.nextBoolean() ? clicks : views).pipeInput(user, "e" + i, Instant.ofEpochMilli(time));
            }
            List<KeyValue<String, Long>> out = new ArrayList<>();
            driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.Long().deserializer())
                    .readRecordsToList().forEach(r -> out.add(KeyValue.pair(r.key(), r.value())));
            return out;
        }
    }

    @Test
    void streamStreamJoinAndCountThroughDslStoreSuppliersAreTheSameAsOnRocksDb() {
        Properties ours = props("join-lsm");
        ours.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LsmDslStoreSuppliers.class);
        List<KeyValue<String, Long>> lsm = runJoin(ours);
        assertThat(lsm).hasSizeGreaterThan(100).isEqualTo(runJoin(props("join-rocks")));
    }

    @Test
    void dslStoreSuppliersPutTheStoresUnderLsm() throws IOException {
        Properties props = props("dsl-where");
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LsmDslStoreSuppliers.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("clicks", Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count()
                .toStream().to("out", Produced.with(Serdes.String(), Serdes.Long()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            driver.createInputTopic("clicks", Serdes.String().serializer(), Serdes.String().serializer())
                    .pipeInput("k", "v");
            try (Stream<Path> files = Files.walk(stateDir.resolve("dsl-where"))) {
                assertThat(files.map(p -> p.getFileName().toString())).contains("lsm").doesNotContain("rocksdb");
            }
            assertThat(driver.getKeyValueStore(driver.getAllStateStores().keySet().iterator().next())
                    .get("k")).isNotNull();
        }
    }
}
