package org.lsmtree.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.BlockCache;
import org.lsmtree.engine.Options;

/** The gauges the stores register: names, tags and values as the engine reports them, gone after close. */
class StoreMetricsTest {
    static final List<String> GAUGES = List.of("cur-size-active-mem-table", "cur-size-all-mem-tables",
            "estimate-num-keys", "num-files-at-level0", "background-errors", "write-stall-duration-total",
            "block-cache-usage", "block-cache-capacity", "block-cache-data-hit-ratio");

    @TempDir
    Path stateDir;

    private static Bytes key(int i) {
        return Bytes.wrap(String.format("key%05d", i).getBytes(UTF_8));
    }

    private static Map<String, Double> gauges(Map<MetricName, ? extends Metric> metrics, String stateIdTag,
            String store) {
        Map<String, Double> out = new java.util.TreeMap<>();
        metrics.forEach((name, metric) -> {
            if (name.group().equals(StoreMetrics.GROUP) && store.equals(name.tags().get(stateIdTag))) {
                if (GAUGES.contains(name.name())) {
                    assertThat(name.tags()).containsKeys("thread-id", "task-id");
                    out.put(name.name(), (Double) metric.metricValue());
                }
            }
        });
        return out;
    }

    @Test
    void aKeyValueStoreReportsEveryGaugeFromItsEngineAndRemovesThemWhenItCloses() {
        TestStoreContext context = new TestStoreContext(stateDir.toFile(), StreamsConfig.AT_LEAST_ONCE);
        // Snappy: the blocks of mapped tables are cached only when compressed (uncompressed ones are
        // read from the mapping), and this test reads the cache's figures.
        LsmKeyValueStore store = (LsmKeyValueStore) LsmStores.persistentKeyValueStore("counts",
                Options.defaults().withWriteBufferSize(64 << 10).withCompression(Options.Compression.SNAPPY)).get();
        store.init(context, store);
        for (int i = 0; i < 3000; i++) {
            store.put(key(i), new byte[100]);
        }
        store.commit(Map.of(new TopicPartition("c", 0), 1L));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3000; i += 10) {
                assertThat(store.get(key(i))).hasSize(100);
            }
        }

        Map<String, Double> gauges = gauges(context.registry.metrics(), "lsm-state-id", "counts");

        assertThat(gauges).containsOnlyKeys(GAUGES);
        assertThat(gauges.get("estimate-num-keys")).isEqualTo(
                Double.parseDouble(store.engineProperty("lsm.estimate-num-keys"))).isGreaterThanOrEqualTo(3000);
        assertThat(gauges.get("num-files-at-level0")).isEqualTo(
                Double.parseDouble(store.engineProperty("lsm.num-files-at-level0")));
        assertThat(gauges.get("cur-size-all-mem-tables")).isGreaterThanOrEqualTo(gauges.get("cur-size-active-mem-table"));
        assertThat(gauges.get("block-cache-capacity")).as("the instance's one shared cache (LsmMemory)")
                .isEqualTo((double) LsmMemory.DEFAULT_TOTAL_BYTES);
        assertThat(gauges.get("block-cache-usage")).isPositive();
        assertThat(gauges.get("block-cache-data-hit-ratio")).as("the second round reads from the cache")
                .isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
        assertThat(gauges.get("background-errors")).isZero();
        assertThat(gauges.get("write-stall-duration-total")).isGreaterThanOrEqualTo(0.0);
        store.close();
        assertThat(gauges(context.registry.metrics(), "lsm-state-id", "counts")).isEmpty();
    }

    @Test
    void aWindowStoreSumsItsSegmentsUnderTheWindowScope() {
        TestStoreContext context = new TestStoreContext(stateDir.toFile(), StreamsConfig.AT_LEAST_ONCE);
        WindowStore<Bytes, byte[]> store = LsmStores.persistentWindowStore("windows", Duration.ofHours(1),
                Duration.ofMinutes(1), false).get();
        store.init(context, store);
        for (int i = 0; i < 40; i++) {
            store.put(key(i), new byte[10], i * 600_000L / 40 * 4); // over several 30-minute segments
        }

        Map<String, Double> gauges = gauges(context.registry.metrics(), "lsm-window-state-id", "windows");

        assertThat(gauges).containsOnlyKeys(GAUGES);
        assertThat(gauges.get("estimate-num-keys")).as("40 entries, and meta/'s status").isGreaterThanOrEqualTo(40.0);
        assertThat(gauges.get("block-cache-capacity")).as("the instance's one shared cache, counted once for all segments")
                .isEqualTo((double) LsmMemory.DEFAULT_TOTAL_BYTES);
        store.close();
        assertThat(gauges(context.registry.metrics(), "lsm-window-state-id", "windows")).isEmpty();
    }

    @Test
    void storesSharingABlockCacheEachReportItWhole() {
        BlockCache shared = BlockCache.ofBytes(3 << 20);
        TestStoreContext context = new TestStoreContext(stateDir.toFile(), StreamsConfig.AT_LEAST_ONCE);
        LsmKeyValueStore a = (LsmKeyValueStore) LsmStores.persistentKeyValueStore("a",
                Options.defaults().withBlockCache(shared)).get();
        LsmKeyValueStore b = (LsmKeyValueStore) LsmStores.persistentKeyValueStore("b",
                Options.defaults().withBlockCache(shared)).get();
        a.init(context, a);
        b.init(context, b);
        try {
            assertThat(gauges(context.registry.metrics(), "lsm-state-id", "a").get("block-cache-capacity"))
                    .isEqualTo(3 << 20);
            assertThat(gauges(context.registry.metrics(), "lsm-state-id", "b").get("block-cache-capacity"))
                    .isEqualTo(3 << 20);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void theTestDriverShowsTheGaugesOfADslStoreOnLsmtree() {
        Properties props = TopologyParityTest.driverProps("metrics", stateDir);
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LsmDslStoreSuppliers.class.getName());
        try (TopologyTestDriver driver = new TopologyTestDriver(TopologyParityTest.wordCount(
                name -> LsmStores.persistentKeyValueStore(name)), props)) {
            TestInputTopic<String, String> lines = driver.createInputTopic("lines", Serdes.String().serializer(),
                    Serdes.String().serializer());
            lines.pipeInput("a", "one two three two");

            Map<String, Double> gauges = gauges(driver.metrics(), "lsm-state-id", "word-counts");

            assertThat(gauges).containsOnlyKeys(GAUGES);
            assertThat(gauges.get("estimate-num-keys")).isGreaterThanOrEqualTo(3.0);
            assertThat(gauges.get("cur-size-active-mem-table")).isPositive();
        }
    }

    @Test
    void cacheAndStallLinesAreReadAsTheEnginePrintsThem() {
        assertThat(EngineFigures.parseCache("block cache: 120 of 8388608 bytes used, 7 hits, 3 misses (hit ratio "
                + "0.70), 0 evictions")).isEqualTo(new EngineFigures.Cache(120, 8388608, 7, 3));
        assertThat(EngineFigures.parseCache("block cache: 120 of 8388608 bytes used, 7 hits, 3 misses").hitRatio())
                .isEqualTo(0.7);
        assertThat(EngineFigures.parseCache("block cache: off")).isEqualTo(new EngineFigures.Cache(0, 0, 0, 0));
        assertThat(new EngineFigures.Cache(0, 10, 0, 0).hitRatio()).isZero();
    }
}
