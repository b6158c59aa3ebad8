package org.lsmtree.kafka;

import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.ResultOrder;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.query.WindowRangeQuery;
import org.apache.kafka.streams.processor.StateStore;

/**
 * Interactive queries (KIP-796) against our stores, over bytes, which is what the metered layer
 * of Kafka Streams turns typed queries into: {@link KeyQuery} and {@link RangeQuery} on key-value
 * stores, {@link WindowKeyQuery} and {@link WindowRangeQuery} on window and session stores, as
 * Kafka's own stores answer them. Every answer carries the store's position; a bound the store has not reached yet
 * is answered {@code NOT_UP_TO_BOUND}. Under {@code READ_COMMITTED} the writes held until the
 * next commit are left out. Stateless; thread-safe.
 */
final class StoreQueries {
    private StoreQueries() {}

    /** Answers one query: a {@link QueryResult} for the query, or null when the store does not know its type. */
    @FunctionalInterface
    interface Handler {
        QueryResult<?> answer(Query<?> query, QueryConfig config);
    }

    /**
     * Checks the position bound, lets {@code handler} answer, and adds the position and (when
     * asked) the execution info: what every store's {@code query} does.
     */
    @SuppressWarnings("unchecked")
    static <R> QueryResult<R> run(StateStore store, Query<R> query, PositionBound bound, QueryConfig config,
            Position position, Handler handler) {
        long start = System.nanoTime();
        QueryResult<R> result;
        if (!reaches(position, bound)) {
            result = QueryResult.notUpToBound(position, bound, null);
        } else {
            result = (QueryResult<R>) handler.answer(query, config);
            if (result == null) {
                result = QueryResult.forUnknownQueryType(query, store);
            }
        }
        if (config.isCollectExecutionInfo()) {
            result.addExecutionInfo("Handled in " + store.getClass().getName() + " " + store.name() + " in "
                    + (System.nanoTime() - start) + "ns");
        }
        result.setPosition(position.copy());
        return result;
    }

    /** {@link KeyQuery} and {@link RangeQuery} on a key-value store. */
    static QueryResult<?> keyValue(LsmKeyValueStore store, Query<?> query, QueryConfig config) {
        boolean withUncommitted = config.getIsolationLevel() != IsolationLevel.READ_COMMITTED;
        if (query instanceof KeyQuery<?, ?> keyQuery) {
            return QueryResult.forResult(store.get((Bytes) keyQuery.getKey(), withUncommitted));
        }
        if (query instanceof RangeQuery<?, ?> rangeQuery) {
            Bytes lower = (Bytes) rangeQuery.getLowerBound().orElse(null);
            Bytes upper = (Bytes) rangeQuery.getUpperBound().orElse(null);
            boolean forward = rangeQuery.resultOrder() != ResultOrder.DESCENDING;
            return QueryResult.forResult(store.userRange(lower, upper, forward, withUncommitted));
        }
        return null;
    }

    /**
     * On a window store, {@link WindowKeyQuery} (one key, window starts in a range) and
     * {@link WindowRangeQuery} over window starts (every key); as Kafka's own window stores, not
     * {@code WindowRangeQuery.withKey}.
     */
    static QueryResult<?> window(LsmWindowStore store, Query<?> query) {
        if (query instanceof WindowKeyQuery<?, ?> keyQuery && keyQuery.getTimeFrom().isPresent()
                && keyQuery.getTimeTo().isPresent()) {
            return QueryResult.forResult(store.fetch((Bytes) keyQuery.getKey(),
                    keyQuery.getTimeFrom().get().toEpochMilli(), keyQuery.getTimeTo().get().toEpochMilli()));
        }
        if (query instanceof WindowRangeQuery<?, ?> rangeQuery && rangeQuery.getKey().isEmpty()
                && rangeQuery.getTimeFrom().isPresent() && rangeQuery.getTimeTo().isPresent()) {
            return QueryResult.forResult(store.fetchAll(rangeQuery.getTimeFrom().get().toEpochMilli(),
                    rangeQuery.getTimeTo().get().toEpochMilli()));
        }
        return null;
    }

    /** On a session store, {@code WindowRangeQuery.withKey}: every session of the key. */
    static QueryResult<?> session(LsmSessionStore store, Query<?> query) {
        if (query instanceof WindowRangeQuery<?, ?> rangeQuery && rangeQuery.getKey().isPresent()) {
            return QueryResult.forResult(store.fetch((Bytes) rangeQuery.getKey().get()));
        }
        return null;
    }

    /** Whether {@code position} is at or past {@code bound} in every partition the bound names. */
    static boolean reaches(Position position, PositionBound bound) {
        if (bound.isUnbounded()) {
            return true;
        }
        Position wanted = bound.position();
        for (String topic : wanted.getTopics()) {
            Map<Integer, Long> have = position.getPartitionPositions(topic);
            for (Map.Entry<Integer, Long> partition : wanted.getPartitionPositions(topic).entrySet()) {
                Long offset = have.get(partition.getKey());
                if (offset == null || offset < partition.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }
}
