package org.lsmtree.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.Options;

/**
 * When commits sync the engine's log ({@link CommitSync}), counted on the stores' real log files:
 * at-least-once commits sync at most once per interval and the close syncs what they wrote;
 * with writes held until commit every commit that writes syncs; a commit with nothing new syncs
 * nothing.
 */
class CommitDurabilityTest {
    private static final TopicPartition CHANGELOG = new TopicPartition("app-counts-changelog", 0);
    private static final long HOUR_MS = 3_600_000;

    @TempDir
    Path stateDir;

    private final LogSyncCountingStorage storage = new LogSyncCountingStorage();

    private TestStoreContext context(String guarantee, long syncIntervalMs) {
        return new TestStoreContext(stateDir.toFile(), guarantee)
                .withConfig(CommitSync.SYNC_INTERVAL_CONFIG, syncIntervalMs);
    }

    private LsmKeyValueStore keyValueStore(TestStoreContext context) {
        LsmKeyValueStore store = (LsmKeyValueStore) LsmStores.persistentKeyValueStore("counts",
                Options.defaults().withStorage(storage)).get();
        store.init(context, store);
        return store;
    }

    private static void writeAndCommit(LsmKeyValueStore store, int commits) {
        for (int i = 0; i < commits; i++) {
            store.put(Bytes.wrap(("k" + i).getBytes(UTF_8)), ("v" + i).getBytes(UTF_8));
            store.commit(Map.of(CHANGELOG, (long) i));
        }
    }

    @Test
    void atLeastOnceCommitsDoNotSyncWithinTheIntervalAndTheCloseMakesTheLastOneDurable() {
        LsmKeyValueStore store = keyValueStore(context(StreamsConfig.AT_LEAST_ONCE, HOUR_MS));
        long before = storage.logSyncs();

        writeAndCommit(store, 50);

        assertThat(storage.logSyncs()).isEqualTo(before);
        store.close();
        assertThat(storage.logSyncs()).as("the close syncs").isGreaterThan(before);
        LsmKeyValueStore reopened = keyValueStore(context(StreamsConfig.AT_LEAST_ONCE, HOUR_MS));
        try {
            assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(49L);
            assertThat(reopened.get(Bytes.wrap("k49".getBytes(UTF_8)))).isEqualTo("v49".getBytes(UTF_8));
        } finally {
            reopened.close();
        }
    }

    @Test
    void anIntervalOfZeroSyncsEveryAtLeastOnceCommit() {
        LsmKeyValueStore store = keyValueStore(context(StreamsConfig.AT_LEAST_ONCE, 0));
        long before = storage.logSyncs();

        writeAndCommit(store, 20);

        assertThat(storage.logSyncs() - before).isEqualTo(20);
        store.close();
    }

    @Test
    void withWritesHeldUntilCommitEveryCommitThatWritesSyncsWhateverTheInterval() {
        LsmKeyValueStore store = keyValueStore(context(StreamsConfig.EXACTLY_ONCE_V2, HOUR_MS)
                .withTransactionalStateStores());
        long before = storage.logSyncs();

        writeAndCommit(store, 20);

        assertThat(storage.logSyncs() - before).isEqualTo(20);
        store.close();
    }

    @Test
    void aCommitWithNothingNewWritesAndSyncsNothing() {
        LsmKeyValueStore store = keyValueStore(context(StreamsConfig.EXACTLY_ONCE_V2, 0)
                .withTransactionalStateStores());
        writeAndCommit(store, 1);
        long syncs = storage.logSyncs();
        String sequence = sequence(store);

        for (int i = 0; i < 10; i++) {
            store.commit(Map.of(CHANGELOG, 0L));
        }

        assertThat(storage.logSyncs()).isEqualTo(syncs);
        assertThat(sequence(store)).as("nothing written").isEqualTo(sequence);
        store.commit(Map.of(CHANGELOG, 1L)); // the offsets moved (a transaction marker, say): written
        assertThat(storage.logSyncs()).isEqualTo(syncs + 1);
        store.close();
    }

    @Test
    void aWindowStoreCommitThatDoesNotSyncKeepsItsOffsetsUntilTheCloseWritesThem() {
        TestStoreContext context = context(StreamsConfig.AT_LEAST_ONCE, HOUR_MS);
        WindowStore<Bytes, byte[]> store = windowStore(context);
        long before = storage.logSyncs();

        for (int i = 0; i < 20; i++) {
            store.put(Bytes.wrap(("k" + i).getBytes(UTF_8)), "v".getBytes(UTF_8), 1_000L * i);
            store.commit(Map.of(CHANGELOG, (long) i));
        }

        assertThat(storage.logSyncs()).isEqualTo(before);
        assertThat(store.committedOffset(CHANGELOG)).as("what the last commit recorded").isEqualTo(19L);
        store.close();
        WindowStore<Bytes, byte[]> reopened = windowStore(context(StreamsConfig.AT_LEAST_ONCE, HOUR_MS));
        try {
            assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(19L);
            assertThat(reopened.fetch(Bytes.wrap("k19".getBytes(UTF_8)), 19_000L)).isEqualTo("v".getBytes(UTF_8));
        } finally {
            reopened.close();
        }
    }

    @Test
    void aWindowStoreCommitThatSyncsSyncsTheSegmentsAndTheOffsets() {
        WindowStore<Bytes, byte[]> store = windowStore(context(StreamsConfig.AT_LEAST_ONCE, 0));
        long before = storage.logSyncs();

        store.put(Bytes.wrap("k".getBytes(UTF_8)), "v".getBytes(UTF_8), 1_000L);
        store.commit(Map.of(CHANGELOG, 7L));

        assertThat(storage.logSyncs() - before).as("the segment, then meta/").isEqualTo(2);
        store.close();
    }

    private WindowStore<Bytes, byte[]> windowStore(TestStoreContext context) {
        WindowStore<Bytes, byte[]> store = LsmStores.windowStore("windows", Duration.ofHours(2), Duration.ofSeconds(10),
                false, false, Options.defaults().withStorage(storage)).get();
        store.init(context, store);
        return store;
    }

    private static String sequence(LsmKeyValueStore store) {
        return store.engineProperty("lsm.last-sequence");
    }
}
