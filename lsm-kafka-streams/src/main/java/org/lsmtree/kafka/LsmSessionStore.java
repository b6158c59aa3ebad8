package org.lsmtree.kafka;

import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.SessionWindow;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;
import org.lsmtree.engine.Options;

/**
 * A persistent {@code SessionStore<Bytes, byte[]>} of Kafka Streams on lsmtree: sessions under
 * {@link SessionKeys} binary keys in time segments by session end ({@link SegmentedStore}).
 *
 * <p>{@code findSessions(key, earliestEnd, latestStart)} returns the sessions of the key that end
 * at or after {@code earliestEnd} and start at or before {@code latestStart}, from every segment at
 * or after the one of {@code earliestEnd}, oldest segment first; as in Kafka's own session store,
 * sessions that ended at or before {@code streamTime - retention} are left out. A null aggregate in {@link #put}
 * removes the session. Thread-safety: as {@link SegmentedStore}.
 */
class LsmSessionStore extends SegmentedStore implements SessionStore<Bytes, byte[]> {

    LsmSessionStore(String name, Options options, long retention, long segmentInterval) {
        super(name, options, segmentInterval, retention, SessionKeys::end);
    }

    @Override
    String metricsScope() {
        return LsmStores.METRICS_SCOPE + "-session";
    }

    @Override
    public void put(Windowed<Bytes> session, byte[] aggregate) {
        Objects.requireNonNull(session, "session cannot be null");
        putBinary(binary(session), aggregate);
    }

    @Override
    public void remove(Windowed<Bytes> session) {
        Objects.requireNonNull(session, "session cannot be null");
        removeBinary(binary(session));
    }

    @Override
    public byte[] fetchSession(Bytes key, long sessionStartTime, long sessionEndTime) {
        Objects.requireNonNull(key, "key cannot be null");
        return getBinary(SessionKeys.encode(key.get(), sessionStartTime, sessionEndTime));
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(Bytes key, long earliestSessionEndTime,
            long latestSessionStartTime) {
        Objects.requireNonNull(key, "key cannot be null");
        return sessions(key, key, earliestSessionEndTime, latestSessionStartTime, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFindSessions(Bytes key, long earliestSessionEndTime,
            long latestSessionStartTime) {
        Objects.requireNonNull(key, "key cannot be null");
        return sessions(key, key, earliestSessionEndTime, latestSessionStartTime, false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(Bytes keyFrom, Bytes keyTo,
            long earliestSessionEndTime, long latestSessionStartTime) {
        return sessions(keyFrom, keyTo, earliestSessionEndTime, latestSessionStartTime, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFindSessions(Bytes keyFrom, Bytes keyTo,
            long earliestSessionEndTime, long latestSessionStartTime) {
        return sessions(keyFrom, keyTo, earliestSessionEndTime, latestSessionStartTime, false);
    }

    /** Every session, whatever its key, that ends within {@code [earliestEnd, latestEnd]}. */
    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> findSessions(long earliestSessionEndTime,
            long latestSessionEndTime) {
        long earliestEnd = actualFrom(earliestSessionEndTime);
        KeyValueIterator<Bytes, byte[]> entries = scan(earliestEnd, latestSessionEndTime, null, null, true,
                binary -> SessionKeys.valid(binary) && SessionKeys.end(binary) >= earliestEnd
                        && SessionKeys.end(binary) <= latestSessionEndTime);
        return new WindowedIterator(entries, LsmSessionStore::session);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes key) {
        return findSessions(key, 0, Long.MAX_VALUE);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes key) {
        return backwardFindSessions(key, 0, Long.MAX_VALUE);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo) {
        return findSessions(keyFrom, keyTo, 0, Long.MAX_VALUE);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo) {
        return backwardFindSessions(keyFrom, keyTo, 0, Long.MAX_VALUE);
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return StoreQueries.run(this, query, positionBound, config, getPosition(),
                (q, c) -> StoreQueries.session(this, q));
    }

    private KeyValueIterator<Windowed<Bytes>, byte[]> sessions(Bytes keyFrom, Bytes keyTo, long earliestSessionEnd,
            long latestStart, boolean forward) {
        long earliestEnd = actualFrom(earliestSessionEnd); // sessions ending before retention are not returned
        if (keyFrom != null && keyTo != null && keyFrom.compareTo(keyTo) > 0) {
            return new WindowedIterator(new EmptyKeyValueIterator(), LsmSessionStore::session);
        }
        byte[] lower = keyFrom == null ? null : keyFrom.get();
        byte[] upper = keyTo == null ? null : EngineRange.pastPrefixOrNull(keyTo.get());
        boolean single = keyFrom != null && keyFrom.equals(keyTo);
        KeyValueIterator<Bytes, byte[]> entries = scan(earliestEnd, Long.MAX_VALUE, lower, upper, forward, binary -> {
            if (!SessionKeys.valid(binary)) {
                return false;
            }
            byte[] k = SessionKeys.key(binary);
            boolean keyInside = single ? Arrays.equals(k, keyFrom.get())
                    : (keyFrom == null || Bytes.wrap(k).compareTo(keyFrom) >= 0)
                            && (keyTo == null || Bytes.wrap(k).compareTo(keyTo) <= 0);
            return keyInside && SessionKeys.end(binary) >= earliestEnd && SessionKeys.start(binary) <= latestStart;
        });
        return new WindowedIterator(entries, LsmSessionStore::session);
    }

    private static byte[] binary(Windowed<Bytes> session) {
        return SessionKeys.encode(session.key().get(), session.window().start(), session.window().end());
    }

    private static Windowed<Bytes> session(byte[] binary) {
        return new Windowed<>(Bytes.wrap(SessionKeys.key(binary)),
                new SessionWindow(SessionKeys.start(binary), SessionKeys.end(binary)));
    }
}
