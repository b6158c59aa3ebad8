package org.lsmtree.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsmSessionStoreTest {
    @TempDir
    Path stateDir;

    private SessionStore<Bytes, byte[]> store;
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

    private SessionStore<Bytes, byte[]> open() {
        store = LsmStores.persistentSessionStore("sessions", Duration.ofMinutes(2)).get();
        context = context();
        store.init(context, store);
        return store;
    }

    private static Windowed<Bytes> session(String key, long start, long end) {
        return new Windowed<>(Bytes.wrap(key.getBytes(UTF_8)), new SessionWindow(start, end));
    }

    private static Bytes key(String s) {
        return Bytes.wrap(s.getBytes(UTF_8));
    }

    private static List<String> sessions(KeyValueIterator<Windowed<Bytes>, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(new String(kv.key.key().get(), UTF_8) + "@" + kv.key.window().start()
                    + ".." + kv.key.window().end() + "=" + new String(kv.value, UTF_8)));
        }
        return out;
    }

    @Test
    void findSessionsReturnsThoseEndingAfterAndStartingBefore() {
        open();
        store.put(session("a", 0, 10), "1".getBytes(UTF_8));
        store.put(session("a", 20, 30), "2".getBytes(UTF_8));
        store.put(session("a", 100_000, 100_005), "3".getBytes(UTF_8)); // another segment
        store.put(session("ab", 0, 10), "x".getBytes(UTF_8));
        assertThat(sessions(store.findSessions(key("a"), 5, 25))).containsExactly("a@0..10=1", "a@20..30=2");
        assertThat(sessions(store.findSessions(key("a"), 11, 200_000))).containsExactly("a@20..30=2",
                "a@100000..100005=3");
        assertThat(sessions(store.backwardFindSessions(key("a"), 0, Long.MAX_VALUE))).containsExactly(
                "a@100000..100005=3", "a@20..30=2", "a@0..10=1");
        assertThat(sessions(store.findSessions(key("a"), key("ab"), 0, 15))).containsExactly("a@0..10=1", "ab@0..10=x");
        assertThat(sessions(store.fetch(key("ab")))).containsExactly("ab@0..10=x");
    }

    @Test
    void removeAndNullPutDeleteASession() {
        open();
        store.put(session("a", 0, 10), "1".getBytes(UTF_8));
        store.put(session("a", 20, 30), "2".getBytes(UTF_8));
        store.remove(session("a", 0, 10));
        store.put(session("a", 20, 30), null);
        assertThat(sessions(store.fetch(key("a")))).isEmpty();
    }

    @Test
    void fetchSessionFindsOneExactSession() {
        open();
        store.put(session("a", 5, 10), "1".getBytes(UTF_8));
        assertThat(store.fetchSession(key("a"), 5, 10)).isEqualTo("1".getBytes(UTF_8));
        assertThat(store.fetchSession(key("a"), 5, 11)).isNull();
    }

    @Test
    void aWindowRangeQueryWithAKeyReturnsItsSessions() {
        open();
        store.put(session("a", 0, 10), "1".getBytes(UTF_8));
        store.put(session("b", 0, 10), "2".getBytes(UTF_8));
        QueryResult<KeyValueIterator<Windowed<Bytes>, byte[]>> result = store.query(WindowRangeQuery.withKey(key("a")),
                PositionBound.unbounded(), new QueryConfig(false));
        assertThat(sessions(result.getResult())).containsExactly("a@0..10=1");
    }

    @Test
    void restoreTakesChangelogRecordsInKafkasSessionKeyLayout() {
        open();
        BatchingStateRestoreCallback restore = (BatchingStateRestoreCallback) context.restoreCallback;
        restore.restoreAll(List.of(
                KeyValue.pair(SessionKeys.encode("a".getBytes(UTF_8), 0, 10), "1".getBytes(UTF_8)),
                KeyValue.pair(SessionKeys.encode("b".getBytes(UTF_8), 3, 4), "2".getBytes(UTF_8)),
                KeyValue.pair(SessionKeys.encode("a".getBytes(UTF_8), 0, 10), null)));
        assertThat(sessions(store.findSessions(key("a"), key("b"), 0, Long.MAX_VALUE))).containsExactly("b@3..4=2");
    }
}
