package org.lsmtree.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;

class LsmKeyValueStoreTest {
    private static final TopicPartition CHANGELOG = new TopicPartition("app-counts-changelog", 3);

    @TempDir
    Path stateDir;

    private LsmKeyValueStore store;
    private TestStoreContext context;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Opens the store; {@link #TRANSACTIONAL} is exactly-once with transactional state stores on. */
    private LsmKeyValueStore open(String guarantee) {
        store = (LsmKeyValueStore) LsmStores.persistentKeyValueStore("counts").get();
        if (guarantee.equals(TRANSACTIONAL)) {
            context = new TestStoreContext(stateDir.toFile(), StreamsConfig.EXACTLY_ONCE_V2).withTransactionalStateStores();
        } else {
            context = new TestStoreContext(stateDir.toFile(), guarantee);
        }
        store.init(context, store);
        return store;
    }

    private static final String TRANSACTIONAL = "exactly_once_v2 with transactional state stores";

    private LsmKeyValueStore reopen(String guarantee) {
        store.close();
        return open(guarantee);
    }

    private static Bytes key(String s) {
        return Bytes.wrap(s.getBytes(UTF_8));
    }

    private static byte[] value(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> keys(KeyValueIterator<Bytes, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                out.add(new String(it.next().key.get(), UTF_8));
            }
        }
        return out;
    }

    @Test
    void storeRegistersItselfAsRootWithABatchingRestoreCallbackAndLivesUnderLsmSlashName() {
        open(StreamsConfig.AT_LEAST_ONCE);
        assertThat(context.registered).isSameAs(store);
        assertThat(context.restoreCallback).isInstanceOf(BatchingStateRestoreCallback.class);
        assertThat(store.directory()).isEqualTo(stateDir.resolve("lsm").resolve("counts"));
        assertThat(store.persistent()).isTrue();
        assertThat(store.managesOffsets()).isTrue();
        assertThat(store.isOpen()).isTrue();
    }

    @Test
    void putOfNullDeletesAndDeleteReturnsTheOldValue() {
        open(StreamsConfig.AT_LEAST_ONCE);
        store.put(key("a"), value("1"));
        assertThat(store.get(key("a"))).isEqualTo(value("1"));
        store.put(key("a"), null);
        assertThat(store.get(key("a"))).isNull();
        store.put(key("b"), value("2"));
        assertThat(store.delete(key("b"))).isEqualTo(value("2"));
        assertThat(store.delete(key("b"))).isNull();
        assertThat(store.get(key("b"))).isNull();
    }

    @Test
    void putIfAbsentKeepsAnExistingValueAndReturnsIt() {
        open(StreamsConfig.AT_LEAST_ONCE);
        assertThat(store.putIfAbsent(key("k"), value("first"))).isNull();
        assertThat(store.putIfAbsent(key("k"), value("second"))).isEqualTo(value("first"));
        assertThat(store.get(key("k"))).isEqualTo(value("first"));
    }

    @Test
    void putAllAppliesPutsAndNullDeletesInOrder() {
        open(StreamsConfig.AT_LEAST_ONCE);
        store.put(key("gone"), value("x"));
        store.putAll(List.of(KeyValue.pair(key("a"), value("1")), KeyValue.pair(key("gone"), null),
                KeyValue.pair(key("a"), value("2")), KeyValue.pair(key("b"), value("3"))));
        assertThat(store.get(key("a"))).isEqualTo(value("2"));
        assertThat(store.get(key("gone"))).isNull();
        assertThat(keys(store.all())).containsExactly("a", "b");
    }

    @Test
    void putAllWithANullKeyWritesNothing() {
        open(StreamsConfig.AT_LEAST_ONCE);
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        entries.add(KeyValue.pair(key("a"), value("1")));
        entries.add(KeyValue.pair(null, value("2")));
        assertThatThrownBy(() -> store.putAll(entries)).isInstanceOf(NullPointerException.class);
        assertThat(store.get(key("a"))).isNull();
    }

    @Test
    void emptyKeyAndEmptyValueAreOrdinaryEntries() {
        open(StreamsConfig.AT_LEAST_ONCE);
        store.put(Bytes.wrap(new byte[0]), new byte[0]);
        assertThat(store.get(Bytes.wrap(new byte[0]))).isEmpty();
        assertThat(keys(store.all())).containsExactly("");
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void bookkeepingKeysNeverShowAmongUserEntries() {
        open(StreamsConfig.AT_LEAST_ONCE);
        store.put(key("a"), value("1"));
        store.commit(Map.of(CHANGELOG, 10L));
        assertThat(keys(store.all())).containsExactly("a");
        assertThat(keys(store.reverseAll())).containsExactly("a");
        assertThat(keys(store.range(null, key("zzz")))).containsExactly("a");
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void committedOffsetsSurviveCloseAndReopen() {
        open(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(store.committedOffset(CHANGELOG)).isNull();
        store.put(key("a"), value("1"));
        store.commit(Map.of(CHANGELOG, 41L));
        assertThat(store.committedOffset(CHANGELOG)).isEqualTo(41L);
        reopen(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(store.committedOffset(CHANGELOG)).isEqualTo(41L);
        assertThat(store.get(key("a"))).isEqualTo(value("1"));
        assertThat(store.committedOffset(new TopicPartition("other", 3))).isNull();
    }

    @Test
    void commitWithAnEmptyMapClearsTheStoredOffsets() {
        open(StreamsConfig.AT_LEAST_ONCE);
        store.commit(Map.of(CHANGELOG, 7L, new TopicPartition("t", 0), 9L));
        store.commit(Map.of());
        assertThat(store.committedOffset(CHANGELOG)).isNull();
        assertThat(store.committedOffset(new TopicPartition("t", 0))).isNull();
    }

    @Test
    void uncleanShutdownAfterWritesThroughDropsTheOffsetsUnderExactlyOnceSoStreamsRestores() throws Exception {
        open(StreamsConfig.AT_LEAST_ONCE);
        store.put(key("a"), value("1"));
        store.commit(Map.of(CHANGELOG, 5L));
        store.close();
        markOpenAsAfterACrash();
        open(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(store.committedOffset(CHANGELOG)).isNull();
        assertThat(store.getPosition().isEmpty()).isTrue();
    }

    @Test
    void underExactlyOnceWithoutTransactionalStoresWritesGoThroughAsRocksDbs() {
        open(StreamsConfig.EXACTLY_ONCE_V2);
        store.put(key("a"), value("1"));
        assertThat(store.approximateNumUncommittedBytes()).isZero();
        reopen(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(store.get(key("a"))).isEqualTo(value("1"));
    }

    @Test
    void uncleanShutdownUnderAtLeastOnceKeepsTheOffsets() throws Exception {
        open(StreamsConfig.AT_LEAST_ONCE);
        store.commit(Map.of(CHANGELOG, 5L));
        store.close();
        markOpenAsAfterACrash();
        open(StreamsConfig.AT_LEAST_ONCE);
        assertThat(store.committedOffset(CHANGELOG)).isEqualTo(5L);
    }

    /** Leaves the status key as a process that died with the store open (writing through) leaves it. */
    private void markOpenAsAfterACrash() throws Exception {
        markStatus(StoreKeys.STATUS_OPEN);
    }

    private void markStatus(byte[] status) throws Exception {
        try (Db db = Db.open(stateDir.resolve("lsm").resolve("counts"), Options.defaults())) {
            db.put(StoreKeys.STATUS, status);
        }
    }

    @Test
    void withTransactionalStoresWritesWaitForTheCommitAndAreReadBackMeanwhile() {
        open(TRANSACTIONAL);
        store.put(key("a"), value("1"));
        assertThat(store.get(key("a"))).isEqualTo(value("1"));
        assertThat(keys(store.all())).containsExactly("a");
        assertThat(store.approximateNumUncommittedBytes()).isPositive();
        reopen(TRANSACTIONAL); // closed without a commit: the write is dropped
        assertThat(store.get(key("a"))).isNull();
        store.put(key("b"), value("2"));
        store.commit(Map.of(CHANGELOG, 3L));
        assertThat(store.approximateNumUncommittedBytes()).isZero();
        reopen(TRANSACTIONAL);
        assertThat(store.get(key("b"))).isEqualTo(value("2"));
        assertThat(store.committedOffset(CHANGELOG)).isEqualTo(3L);
    }

    @Test
    void afterACrashWithTransactionalStoresTheStoreIsAtItsLastCommitWithItsOffsets() throws Exception {
        open(TRANSACTIONAL);
        store.put(key("a"), value("1"));
        store.commit(Map.of(CHANGELOG, 5L));
        store.put(key("b"), value("uncommitted"));
        store.delete(key("a"));
        store.close(); // what reaches the disk is what a kill leaves: nothing after the commit
        markStatus(StoreKeys.STATUS_OPEN_BUFFERED);
        open(TRANSACTIONAL);
        assertThat(store.committedOffset(CHANGELOG)).isEqualTo(5L);
        assertThat(keys(store.all())).containsExactly("a");
    }

    @Test
    void uncommittedWritesOverlayTheCommittedOnesInEveryRead() {
        open(TRANSACTIONAL);
        store.putAll(List.of(KeyValue.pair(key("a"), value("1")), KeyValue.pair(key("b"), value("2")),
                KeyValue.pair(key("c"), value("3"))));
        store.commit(Map.of(CHANGELOG, 1L));
        store.put(key("b"), value("new"));
        store.delete(key("c"));
        store.put(key("d"), value("4"));
        assertThat(keys(store.all())).containsExactly("a", "b", "d");
        assertThat(keys(store.reverseAll())).containsExactly("d", "b", "a");
        assertThat(keys(store.range(key("b"), key("c")))).containsExactly("b");
        assertThat(store.get(key("b"))).isEqualTo(value("new"));
        assertThat(store.get(key("c"))).isNull();
        assertThat(store.putIfAbsent(key("c"), value("again"))).isNull();
        assertThat(store.approximateNumEntries()).isEqualTo(4);
    }

    @Test
    void restoreCallbackAppliesABatchWithDeletes() {
        open(StreamsConfig.AT_LEAST_ONCE);
        store.put(key("old"), value("x"));
        BatchingStateRestoreCallback restore = (BatchingStateRestoreCallback) context.restoreCallback;
        restore.restoreAll(List.of(KeyValue.pair(value("a"), value("1")), KeyValue.pair(value("old"), null),
                KeyValue.pair(value("b"), value("2"))));
        assertThat(keys(store.all())).containsExactly("a", "b");
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailAsAClosedStore() {
        open(StreamsConfig.AT_LEAST_ONCE);
        KeyValueIterator<Bytes, byte[]> open = store.all();
        store.close();
        store.close();
        assertThat(store.isOpen()).isFalse();
        assertThatThrownBy(open::hasNext).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.get(key("a"))).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> store.put(key("a"), value("1"))).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> store.all()).isInstanceOf(InvalidStateStoreException.class);
        store.commit(Map.of(CHANGELOG, 1L)); // a no-op on a closed store, as in RocksDB's
        store = null;
    }

    @Test
    void positionFollowsTheRecordsWrittenAndSurvivesACommitAndReopen() {
        open(StreamsConfig.AT_LEAST_ONCE);
        context.processing("input", 2, 17);
        store.put(key("a"), value("1"));
        context.processing("input", 2, 18);
        store.putAll(List.of(KeyValue.pair(key("b"), value("2"))));
        assertThat(store.getPosition()).isEqualTo(Position.emptyPosition().withComponent("input", 2, 18));
        store.commit(Map.of(CHANGELOG, 2L));
        reopen(StreamsConfig.AT_LEAST_ONCE);
        assertThat(store.getPosition()).isEqualTo(Position.emptyPosition().withComponent("input", 2, 18));
    }

    @Test
    void keyAndRangeQueriesAnswerWithThePosition() {
        open(StreamsConfig.AT_LEAST_ONCE);
        context.processing("input", 0, 5);
        store.put(key("a"), value("1"));
        store.put(key("b"), value("2"));
        store.put(key("c"), value("3"));
        QueryConfig config = new QueryConfig(true);

        QueryResult<byte[]> one = store.query(KeyQuery.withKey(key("b")), PositionBound.unbounded(), config);
        assertThat(one.isSuccess()).isTrue();
        assertThat(one.getResult()).isEqualTo(value("2"));
        assertThat(one.getPosition()).isEqualTo(Position.emptyPosition().withComponent("input", 0, 5));
        assertThat(one.getExecutionInfo()).isNotEmpty();

        QueryResult<KeyValueIterator<Bytes, byte[]>> range = store.query(
                RangeQuery.<Bytes, byte[]>withRange(key("b"), null).withDescendingKeys(),
                PositionBound.at(Position.emptyPosition().withComponent("input", 0, 5)), config);
        assertThat(keys(range.getResult())).containsExactly("c", "b");
    }

    @Test
    void aQueryBoundPastThePositionIsNotUpToBound() {
        open(StreamsConfig.AT_LEAST_ONCE);
        context.processing("input", 0, 5);
        store.put(key("a"), value("1"));
        QueryResult<byte[]> ahead = store.query(KeyQuery.withKey(key("a")),
                PositionBound.at(Position.emptyPosition().withComponent("input", 0, 6)), new QueryConfig(false));
        assertThat(ahead.isFailure()).isTrue();
        assertThat(ahead.getFailureReason()).isEqualTo(FailureReason.NOT_UP_TO_BOUND);
        QueryResult<byte[]> otherPartition = store.query(KeyQuery.withKey(key("a")),
                PositionBound.at(Position.emptyPosition().withComponent("input", 1, 0)), new QueryConfig(false));
        assertThat(otherPartition.getFailureReason()).isEqualTo(FailureReason.NOT_UP_TO_BOUND);
    }

    @Test
    void readCommittedQueriesLeaveOutTheWritesHeldUntilCommit() {
        open(TRANSACTIONAL);
        store.put(key("a"), value("1"));
        store.commit(Map.of(CHANGELOG, 1L));
        store.put(key("a"), value("2"));
        store.put(key("b"), value("3"));
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        assertThat(committed.get(key("a"))).isEqualTo(value("1"));
        assertThat(keys(committed.all())).containsExactly("a");
        assertThat(committed.approximateNumEntries()).isEqualTo(1);
        assertThat(store.readOnly(IsolationLevel.READ_UNCOMMITTED)).isSameAs(store);
        QueryResult<byte[]> query = store.query(KeyQuery.withKey(key("b")), PositionBound.unbounded(),
                new QueryConfig(false, IsolationLevel.READ_COMMITTED));
        assertThat(query.getResult()).isNull();
        assertThat(store.query(KeyQuery.<Bytes, byte[]>withKey(key("b")), PositionBound.unbounded(),
                new QueryConfig(false)).getResult()).isEqualTo(value("3"));
    }

    @Test
    void memtableBytesAreAGaugeWhileTheStoreIsOpen() {
        open(TRANSACTIONAL);
        double atOpen = (Double) context.gauge("cur-size-active-mem-table"); // the status record
        store.put(key("a"), value("1"));
        assertThat(context.gauge("cur-size-active-mem-table")).isEqualTo(atOpen); // held until the commit
        store.commit(Map.of(CHANGELOG, 1L));
        assertThat((Double) context.gauge("cur-size-active-mem-table")).isGreaterThan(atOpen);
        store.close();
        assertThat(context.gauge("cur-size-active-mem-table")).isNull();
        store = null;
    }

    @Test
    void writesBetweenCommitsSurviveACleanReopen() {
        open(StreamsConfig.AT_LEAST_ONCE);
        for (int i = 0; i < 500; i++) {
            store.put(key("k" + i), value("v" + i));
        }
        reopen(StreamsConfig.AT_LEAST_ONCE);
        assertThat(store.approximateNumEntries()).isEqualTo(500);
        assertThat(store.get(key("k499"))).isEqualTo(value("v499"));
    }
}
