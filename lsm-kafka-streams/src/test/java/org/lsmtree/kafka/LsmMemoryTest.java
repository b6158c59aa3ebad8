package org.lsmtree.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.BlockCache;
import org.lsmtree.engine.MemoryBudget;
import org.lsmtree.engine.Options;

/**
 * The memory budget of a Kafka Streams instance ({@link LsmMemory}): every engine store of its
 * tasks shares one, sized by the two config keys, dropped with its last store, and never shared
 * with another application or instance.
 */
class LsmMemoryTest {
    private static final Duration SIZE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    private Properties props(String app, Path dir) {
        Properties props = TopologyParityTest.driverProps(app, dir);
        props.put(LsmMemory.TOTAL_BYTES_CONFIG, 8L << 20);
        props.put(LsmMemory.MEMTABLE_BYTES_CONFIG, "2097152");
        return props;
    }

    /** A count, a windowed count and a session count of the same stream: one key-value and two segmented stores. */
    private static Topology threeStores() {
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, String> clicks = builder.stream("clicks",
                Consumed.with(Serdes.String(), Serdes.String())).groupByKey();
        clicks.count(Materialized.<String, Long>as(LsmStores.persistentKeyValueStore("counts"))
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        clicks.windowedBy(TimeWindows.ofSizeWithNoGrace(SIZE)).count(Materialized.<String, Long>as(
                LsmStores.persistentWindowStore("windows", Duration.ofMinutes(2), SIZE, false))
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        clicks.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(SIZE)).count(Materialized.<String, Long>as(
                LsmStores.persistentSessionStore("sessions", Duration.ofMinutes(2)))
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        return builder.build();
    }

    private static void pipe(TopologyTestDriver driver, int records) {
        TestInputTopic<String, String> in = driver.createInputTopic("clicks", Serdes.String().serializer(),
                Serdes.String().serializer());
        for (int i = 0; i < records; i++) {
            in.pipeInput("user-" + i % 7, "click", Instant.ofEpochMilli(1_000_000L + i * 1_000L));
        }
    }

    /** Directories under {@code dir} holding an engine store (a {@code CURRENT} file). */
    private static long engineStores(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(file -> file.getFileName().toString().equals("CURRENT")).count();
        }
    }

    @Test
    void everyEngineStoreOfTheTopologyJoinsOneBudgetSizedByTheTwoConfigKeys() throws IOException {
        Path instance = stateDir.resolve("a").resolve("shared-app");
        try (TopologyTestDriver driver = new TopologyTestDriver(threeStores(), props("shared-app", stateDir.resolve("a")))) {
            pipe(driver, 300);
            MemoryBudget budget = LsmMemory.current("shared-app", instance);
            assertThat(budget).isNotNull();
            assertThat(budget.totalBytes()).isEqualTo(8L << 20);
            assertThat(budget.writeBufferManager().limit()).isEqualTo(2L << 20);
            long stores = engineStores(stateDir.resolve("a"));
            assertThat(stores).as("a key-value store, and segments plus bookkeeping of two segmented stores")
                    .isGreaterThanOrEqualTo(5);
            assertThat(budget.writeBufferManager().stores()).as(budget.describe()).isEqualTo((int) stores);
            assertThat(budget.writeBufferManager().usedBytes()).as(budget.describe()).isPositive();
            assertThat(budget.blockCache().reservedBytes()).isPositive();
        }
        assertThat(LsmMemory.current("shared-app", instance)).as("dropped with the last store").isNull();
    }

    @Test
    void storesOfSeveralTasksOfOneInstanceShareWhileAnotherInstanceHasItsOwn() {
        Path instance = stateDir.resolve("app");
        LsmKeyValueStore first = open(instance.resolve("0_0"));
        LsmKeyValueStore second = open(instance.resolve("1_3"));
        LsmKeyValueStore elsewhere = open(stateDir.resolve("other").resolve("app").resolve("0_0"));
        try {
            MemoryBudget shared = LsmMemory.current("test-app", instance);
            assertThat(shared.writeBufferManager().stores()).isEqualTo(2);
            MemoryBudget own = LsmMemory.current("test-app", stateDir.resolve("other").resolve("app"));
            assertThat(own).isNotSameAs(shared);
            assertThat(own.writeBufferManager().stores()).isEqualTo(1);
            assertThat(shared.totalBytes()).as("the default").isEqualTo(LsmMemory.DEFAULT_TOTAL_BYTES);
            assertThat(shared.writeBufferManager().limit()).as("a quarter by default")
                    .isEqualTo(LsmMemory.DEFAULT_TOTAL_BYTES / 4);

            first.put(Bytes.wrap(new byte[] {1}), new byte[1000]);
            assertThat(shared.writeBufferManager().usedBytes()).isGreaterThan(1000);
            first.close();
            assertThat(shared.writeBufferManager().stores()).isEqualTo(1);
            assertThat(LsmMemory.current("test-app", instance)).isSameAs(shared);
            second.close();
            assertThat(LsmMemory.current("test-app", instance)).isNull();
            second.close(); // closing twice gives nothing back twice
            assertThat(own.writeBufferManager().stores()).isEqualTo(1);
        } finally {
            first.close();
            second.close();
            elsewhere.close();
        }
    }

    @Test
    void twoApplicationsInOneJvmNeverShare() {
        Path dir = stateDir.resolve("same");
        try (TopologyTestDriver one = new TopologyTestDriver(threeStores(), props("app-one", dir));
                TopologyTestDriver two = new TopologyTestDriver(threeStores(), props("app-two", dir))) {
            pipe(one, 20);
            pipe(two, 20);
            MemoryBudget first = LsmMemory.current("app-one", dir.resolve("app-one"));
            MemoryBudget second = LsmMemory.current("app-two", dir.resolve("app-two"));
            assertThat(first).isNotNull().isNotSameAs(second);
            assertThat(second).isNotNull();
            assertThat(first.writeBufferManager().stores()).isEqualTo(second.writeBufferManager().stores());
        }
    }

    @Test
    void aTotalOfZeroTurnsSharingOffAndOptionsWithTheirOwnCacheKeepIt() {
        Path instance = stateDir.resolve("app");
        TestStoreContext off = new TestStoreContext(instance.resolve("0_0").toFile(), StreamsConfig.AT_LEAST_ONCE);
        off.appConfigs().put(LsmMemory.TOTAL_BYTES_CONFIG, "0");
        LsmKeyValueStore unshared = new LsmKeyValueStore("unshared", Options.defaults());
        unshared.init(off, unshared);
        BlockCache own = BlockCache.ofBytes(1 << 20);
        LsmKeyValueStore ownCache = new LsmKeyValueStore("own", Options.defaults().withBlockCache(own));
        ownCache.init(new TestStoreContext(instance.resolve("0_1").toFile(), StreamsConfig.AT_LEAST_ONCE), ownCache);
        try {
            unshared.put(Bytes.wrap(new byte[] {1}), new byte[] {2});
            assertThat(unshared.get(Bytes.wrap(new byte[] {1}))).containsExactly(2);
            MemoryBudget budget = LsmMemory.current("test-app", instance);
            assertThat(budget).as("the store with its own cache holds a lease but does not join").isNotNull();
            assertThat(budget.writeBufferManager().stores()).isZero();
        } finally {
            unshared.close();
            ownCache.close();
        }
        assertThat(LsmMemory.current("test-app", instance)).isNull();
    }

    @Test
    void aBadSizeIsAConfigErrorNamingTheKey() {
        TestStoreContext context = new TestStoreContext(stateDir.resolve("app").resolve("0_0").toFile(),
                StreamsConfig.AT_LEAST_ONCE);
        context.appConfigs().put(LsmMemory.TOTAL_BYTES_CONFIG, "lots");
        LsmKeyValueStore store = new LsmKeyValueStore("bad", Options.defaults());
        assertThatThrownBy(() -> store.init(context, store)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(LsmMemory.TOTAL_BYTES_CONFIG);
        context.appConfigs().put(LsmMemory.TOTAL_BYTES_CONFIG, "1048576");
        context.appConfigs().put(LsmMemory.MEMTABLE_BYTES_CONFIG, "2097152");
        assertThatThrownBy(() -> store.init(context, store)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(LsmMemory.MEMTABLE_BYTES_CONFIG);
        assertThat(store.isOpen()).isFalse();
        assertThat(LsmMemory.current("test-app", stateDir.resolve("app"))).isNull();
    }

    private static LsmKeyValueStore open(Path taskDirectory) {
        LsmKeyValueStore store = new LsmKeyValueStore("store", Options.defaults());
        StateStore root = store;
        store.init(new TestStoreContext(taskDirectory.toFile(), StreamsConfig.AT_LEAST_ONCE), root);
        return store;
    }
}
