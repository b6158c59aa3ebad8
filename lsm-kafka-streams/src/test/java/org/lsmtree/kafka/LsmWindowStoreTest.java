package org.lsmtree.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsmWindowStoreTest {
    private static final long MINUTE = 60_000;

    @TempDir
    Path stateDir;

    private WindowStore<Bytes, byte[]> store;
    private TestStoreContext context;

    /** The context stores open in: at-least-once here; exactly-once with writes held until commit in the subclass. */
    TestStoreContext context() {
        return new TestStoreContext(stateDir.toFile(), StreamsConfig.AT_LEAST_ONCE);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Retention two minutes, windows of ten seconds, so segments of one minute. */
    WindowStore<Bytes, byte[]> open(boolean retainDuplicates) {
        store = LsmStores.persistentWindowStore("windows", Duration.ofMinutes(2), Duration.ofSeconds(10),
                retainDuplicates).get();
        context = context();
        store.init(context, store);
        return store;
    }

    private static Bytes key(String s) {
        return Bytes.wrap(s.getBytes(UTF_8));
    }

    private static byte[] value(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> times(WindowStoreIterator<byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(kv.key + "=" + new String(kv.value, UTF_8)));
        }
        return out;
    }

    private static List<String> windows(KeyValueIterator<Windowed<Bytes>, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(new String(kv.key.key().get(), UTF_8) + "@" + kv.key.window().start()
                    + ".." + kv.key.window().end() + "=" + new String(kv.value, UTF_8)));
        }
        return out;
    }

    private List<String> segmentDirectories() throws IOException {
        try (Stream<Path> dirs = Files.list(stateDir.resolve("lsm").resolve("windows"))) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("segment-")).sorted().toList();
        }
    }

    @Test
    void fetchReturnsTheWindowsOfOneKeyInTimeOrderBothWays() {
        open(false);
        store.put(key("a"), value("1"), 0);
        store.put(key("a"), value("2"), 10_000);
        store.put(key("ab"), value("x"), 5_000); // a longer key with the same prefix is not "a"
        store.put(key("a"), value("3"), MINUTE + 10_000); // next segment
        assertThat(times(store.fetch(key("a"), 0, 2 * MINUTE))).containsExactly("0=1", "10000=2", "70000=3");
        assertThat(times(store.backwardFetch(key("a"), 0, 2 * MINUTE))).containsExactly("70000=3", "10000=2", "0=1");
        assertThat(times(store.fetch(key("a"), 5_000, 10_000))).containsExactly("10000=2");
        assertThat(store.fetch(key("a"), 10_000)).isEqualTo(value("2"));
        assertThat(store.fetch(key("a"), 5_000)).isNull();
    }

    @Test
    void keyRangeFetchAndAllGiveWindowedKeysWithTheirEnds() {
        open(false);
        store.put(key("a"), value("1"), 0);
        store.put(key("b"), value("2"), 0);
        store.put(key("c"), value("3"), 20_000);
        assertThat(windows(store.fetch(key("a"), key("b"), 0, 30_000))).containsExactly("a@0..10000=1", "b@0..10000=2");
        assertThat(windows(store.fetchAll(10_000, 30_000))).containsExactly("c@20000..30000=3");
        assertThat(windows(store.all())).hasSize(3);
        assertThat(windows(store.backwardAll())).first().isEqualTo("c@20000..30000=3");
        assertThat(windows(store.fetch(key("c"), key("a"), 0, 30_000))).isEmpty();
    }

    @Test
    void aNullValueDeletesTheWindowUnlessDuplicatesAreKept() {
        open(false);
        store.put(key("a"), value("1"), 0);
        store.put(key("a"), null, 0);
        assertThat(store.fetch(key("a"), 0)).isNull();
    }

    @Test
    void duplicatesAreKeptAsSeparateEntries() {
        open(true);
        store.put(key("a"), value("1"), 0);
        store.put(key("a"), value("2"), 0);
        store.put(key("a"), null, 0); // ignored when duplicates are kept
        assertThat(times(store.fetch(key("a"), 0, 0))).containsExactly("0=1", "0=2");
    }

    @Test
    void retentionDropsWholeSegmentsAndHidesExpiredWindows() throws IOException {
        open(false);
        store.put(key("a"), value("old"), 0);
        store.put(key("a"), value("mid"), MINUTE);
        store.commit(Map.of()); // held writes (exactly-once) reach their segments
        assertThat(segmentDirectories()).containsExactly("segment-0", "segment-1");
        store.put(key("a"), value("new"), 3 * MINUTE + 1); // stream time 3 min: retained from 1 min + 1 ms on
        store.commit(Map.of());
        assertThat(segmentDirectories()).containsExactly("segment-1", "segment-3");
        assertThat(store.fetch(key("a"), 0)).isNull();
        assertThat(store.fetch(key("a"), MINUTE)).isNull(); // its segment is live, the window is not
        assertThat(times(store.fetch(key("a"), 0, 4 * MINUTE))).containsExactly((3 * MINUTE + 1) + "=new");
        store.put(key("a"), value("too late"), 10_000);
        store.commit(Map.of());
        assertThat(segmentDirectories()).containsExactly("segment-1", "segment-3");
        assertThat(store.fetch(key("a"), 10_000)).isNull();
    }

    @Test
    void restoreTakesChangelogRecordsInKafkasWindowKeyLayout() {
        open(false);
        BatchingStateRestoreCallback restore = (BatchingStateRestoreCallback) context.restoreCallback;
        restore.restoreAll(List.of(
                KeyValue.pair(WindowKeys.encode(value("a"), 0, 0), value("1")),
                KeyValue.pair(WindowKeys.encode(value("a"), 10_000, 0), value("2")),
                KeyValue.pair(WindowKeys.encode(value("a"), 0, 0), null)));
        assertThat(times(store.fetch(key("a"), 0, MINUTE))).containsExactly("10000=2");
    }

    @Test
    void offsetsAndWindowsSurviveAReopen() {
        open(false);
        TopicPartition changelog = new TopicPartition("app-windows-changelog", 0);
        store.put(key("a"), value("1"), 30_000);
        store.commit(Map.of(changelog, 12L));
        store.close();
        open(false);
        assertThat(store.committedOffset(changelog)).isEqualTo(12L);
        assertThat(store.fetch(key("a"), 30_000)).isEqualTo(value("1"));
        assertThat(store.managesOffsets()).isTrue();
    }

    @Test
    void windowQueriesAnswerWithThePosition() {
        open(false);
        context.processing("clicks", 0, 9);
        store.put(key("a"), value("1"), 0);
        store.put(key("b"), value("2"), 10_000);
        QueryResult<WindowStoreIterator<byte[]>> one = store.query(
                WindowKeyQuery.withKeyAndWindowStartRange(key("a"), Instant.ofEpochMilli(0), Instant.ofEpochMilli(MINUTE)),
                PositionBound.unbounded(), new QueryConfig(false));
        assertThat(times(one.getResult())).containsExactly("0=1");
        assertThat(one.getPosition()).isEqualTo(Position.emptyPosition().withComponent("clicks", 0, 9));
        QueryResult<KeyValueIterator<Windowed<Bytes>, byte[]>> all = store.query(
                WindowRangeQuery.withWindowStartRange(Instant.ofEpochMilli(0), Instant.ofEpochMilli(MINUTE)),
                PositionBound.unbounded(), new QueryConfig(false));
        assertThat(windows(all.getResult())).containsExactly("a@0..10000=1", "b@10000..20000=2");
        assertThat(store.query(WindowRangeQuery.withKey(key("a")), PositionBound.unbounded(), new QueryConfig(false))
                .getFailureReason()).isEqualTo(FailureReason.UNKNOWN_QUERY_TYPE);
        assertThat(store.query(WindowRangeQuery.withKey(key("a")),
                PositionBound.at(Position.emptyPosition().withComponent("clicks", 0, 10)), new QueryConfig(false))
                .getFailureReason()).isEqualTo(FailureReason.NOT_UP_TO_BOUND);
    }

    @Test
    void closeIsIdempotentAndLaterReadsFail() {
        open(false);
        store.close();
        store.close();
        assertThat(store.isOpen()).isFalse();
        assertThatThrownBy(() -> store.fetch(key("a"), 0)).isInstanceOf(InvalidStateStoreException.class);
        store = null;
    }
}
