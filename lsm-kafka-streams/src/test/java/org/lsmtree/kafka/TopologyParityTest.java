package org.lsmtree.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole topologies run in {@link TopologyTestDriver} (the real task, state manager and store
 * layers) twice, once on our stores and once on RocksDB's: the output topics must be identical
 * record by record, and a few answers are also checked by hand so that both cannot be wrong alike.
 */
class TopologyParityTest {
    @TempDir
    Path stateDir;

    private Properties props(String run) {
        return TopologyParityTest.driverProps("parity", stateDir.resolve(run));
    }

    /** A driver's config: no record cache, so that every update reaches the output. */
    static Properties driverProps(String app, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        return props;
    }

    private static Function<String, KeyValueBytesStoreSupplier> suppliers(StoreKind kind) {
        return kind::supplier;
    }

    private static Materialized<String, Long, KeyValueStore<Bytes, byte[]>> counts(KeyValueBytesStoreSupplier supplier) {
        return Materialized.<String, Long>as(supplier).withKeySerde(Serdes.String()).withValueSerde(Serdes.Long());
    }

    static Topology wordCount(Function<String, KeyValueBytesStoreSupplier> stores) {
        return wordCount(stores, "lines", "counts");
    }

    static Topology wordCount(Function<String, KeyValueBytesStoreSupplier> stores, String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\W+")))
                .filter((k, word) -> !word.isEmpty())
                .groupBy((k, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(counts(stores.apply("word-counts")))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private static List<String> lines(long seed, int count) {
        String[] words = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "a", "b"};
        Random random = new Random(seed);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = random.nextInt(6); w >= 0; w--) {
                line.append(words[random.nextInt(words.length)]).append(random.nextBoolean() ? " " : ", ");
            }
            out[i] = line.toString();
        }
        return List.of(out);
    }

    private List<KeyValue<String, Long>> runWordCount(StoreKind kind, List<String> lines) {
        Properties props = props("wc-" + kind);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, kind.guarantee());
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        try (TopologyTestDriver driver = new TopologyTestDriver(wordCount(suppliers(kind)), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("lines",
                    Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, Long> out = driver.createOutputTopic("counts",
                    Serdes.String().deserializer(), Serdes.Long().deserializer());
            lines.forEach(line -> in.pipeInput(null, line));
            return out.readKeyValuesToList();
        }
    }

    @Test
    void wordCountIsTheSameOnBothStores() {
        List<String> lines = lines(42, 300);
        List<KeyValue<String, Long>> ours = runWordCount(StoreKind.LSM, lines);
        assertThat(ours).isEqualTo(runWordCount(StoreKind.ROCKSDB, lines)).isNotEmpty();
    }

    @Test
    void wordCountUnderExactlyOnceIsTheSameAsRocksDbs() {
        List<String> lines = lines(43, 200);
        assertThat(runWordCount(StoreKind.LSM_EXACTLY_ONCE, lines)).isEqualTo(runWordCount(StoreKind.ROCKSDB, lines));
    }

    @Test
    void wordCountCountsByHand() {
        List<KeyValue<String, Long>> out = runWordCount(StoreKind.LSM, List.of("the fox", "The dog", "fox THE"));
        assertThat(out).containsExactly(KeyValue.pair("the", 1L), KeyValue.pair("fox", 1L), KeyValue.pair("the", 2L),
                KeyValue.pair("dog", 1L), KeyValue.pair("fox", 2L), KeyValue.pair("the", 3L));
    }

    @Test
    void wordCountStateIsReadableThroughTheDriverAndLivesInAnLsmStore() throws IOException {
        try (TopologyTestDriver driver = new TopologyTestDriver(wordCount(suppliers(StoreKind.LSM)), props("read"))) {
            TestInputTopic<String, String> in = driver.createInputTopic("lines",
                    Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput(null, "a b a");
            KeyValueStore<String, Long> store = driver.getKeyValueStore("word-counts");
            assertThat(store.get("a")).isEqualTo(2L);
            in.pipeInput(null, "a");
            assertThat(store.get("a")).isEqualTo(3L);
            assertThat(store.get("b")).isEqualTo(1L);
            assertThat(store.get("c")).isNull();
            try (Stream<Path> files = Files.walk(stateDir.resolve("read"))) {
                assertThat(files.filter(p -> p.endsWith(Path.of("lsm", "word-counts")))).hasSize(1);
            }
        }
    }

    static Topology aggregation(Function<String, KeyValueBytesStoreSupplier> stores) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("amounts", Consumed.with(Serdes.String(), Serdes.Long()))
                .groupByKey()
                .aggregate(() -> 0L, (account, amount, total) -> total + amount, counts(stores.apply("totals")))
                .toStream()
                .to("totals", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private List<KeyValue<String, Long>> runAggregation(StoreKind kind, long seed) {
        try (TopologyTestDriver driver = new TopologyTestDriver(aggregation(suppliers(kind)), props("agg-" + kind))) {
            TestInputTopic<String, Long> in = driver.createInputTopic("amounts",
                    Serdes.String().serializer(), Serdes.Long().serializer());
            Random random = new Random(seed);
            for (int i = 0; i < 500; i++) {
                in.pipeInput("account-" + random.nextInt(40), (long) random.nextInt(2001) - 1000);
            }
            return driver.createOutputTopic("totals", Serdes.String().deserializer(), Serdes.Long().deserializer())
                    .readKeyValuesToList();
        }
    }

    @Test
    void windowlessAggregationIsTheSameOnBothStores() {
        List<KeyValue<String, Long>> ours = runAggregation(StoreKind.LSM, 7);
        assertThat(ours).hasSize(500).isEqualTo(runAggregation(StoreKind.ROCKSDB, 7));
    }

    static Topology streamTableJoin(Function<String, KeyValueBytesStoreSupplier> stores) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> users = builder.table("users", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String>as(stores.apply("users-table"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        builder.stream("clicks", Consumed.with(Serdes.String(), Serdes.String()))
                .join(users, (page, region) -> page + "@" + region)
                .to("enriched", Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    private List<KeyValue<String, String>> runJoin(StoreKind kind) {
        try (TopologyTestDriver driver = new TopologyTestDriver(streamTableJoin(suppliers(kind)), props("join-" + kind))) {
            TestInputTopic<String, String> users = driver.createInputTopic("users",
                    Serdes.String().serializer(), Serdes.String().serializer());
            TestInputTopic<String, String> clicks = driver.createInputTopic("clicks",
                    Serdes.String().serializer(), Serdes.String().serializer());
            Random random = new Random(11);
            for (int i = 0; i < 400; i++) {
                String user = "user-" + random.nextInt(30);
                switch (random.nextInt(5)) {
                    case 0 -> users.pipeInput(user, "region-" + random.nextInt(5));
                    case 1 -> users.pipeInput(user, (String) null); // a tombstone removes the user
                    default -> clicks.pipeInput(user, "page-" + i);
                }
            }
            return driver.createOutputTopic("enriched", Serdes.String().deserializer(), Serdes.String().deserializer())
                    .readKeyValuesToList();
        }
    }

    @Test
    void streamTableJoinIsTheSameOnBothStores() {
        List<KeyValue<String, String>> ours = runJoin(StoreKind.LSM);
        assertThat(ours).isNotEmpty().isEqualTo(runJoin(StoreKind.ROCKSDB));
    }
}
