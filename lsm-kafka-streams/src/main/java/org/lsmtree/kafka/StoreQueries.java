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
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Interactive queries (KIP-796) against an {@link LsmKeyValueStore}: {@link KeyQuery} and
 * {@link RangeQuery} over bytes, which is what the metered layer of Kafka Streams turns typed
 * queries into. Every answer carries the store's position; a bound the store has not reached yet
 * is answered {@code NOT_UP_TO_BOUND}. Under {@code READ_COMMITTED} the writes held until the
 * next commit are left out. Stateless; thread-safe.
 */
final class StoreQueries {
    private StoreQueries() {}

    @SuppressWarnings("unchecked")
    static <R> QueryResult<R> run(LsmKeyValueStore store, Query<R> query, PositionBound bound, QueryConfig config,
            Position position) {
        long start = System.nanoTime();
        boolean withUncommitted = config.getIsolationLevel() != IsolationLevel.READ_COMMITTED;
        QueryResult<R> result;
        if (!reaches(position, bound)) {
            result = QueryResult.notUpToBound(position, bound, null);
        } else if (query instanceof KeyQuery<?, ?> keyQuery) {
            result = (QueryResult<R>) QueryResult.forResult(store.get((Bytes) keyQuery.getKey(), withUncommitted));
        } else if (query instanceof RangeQuery<?, ?> rangeQuery) {
            Bytes lower = (Bytes) rangeQuery.getLowerBound().orElse(null);
            Bytes upper = (Bytes) rangeQuery.getUpperBound().orElse(null);
            boolean forward = rangeQuery.resultOrder() != ResultOrder.DESCENDING;
            KeyValueIterator<Bytes, byte[]> entries = store.userRange(lower, upper, forward, withUncommitted);
            result = (QueryResult<R>) QueryResult.forResult(entries);
        } else {
            result = QueryResult.forUnknownQueryType(query, store);
        }
        if (config.isCollectExecutionInfo()) {
            result.addExecutionInfo("Handled in " + store.getClass().getName() + " " + store.name() + " in "
                    + (System.nanoTime() - start) + "ns");
        }
        result.setPosition(position.copy());
        return result;
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
