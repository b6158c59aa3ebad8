package org.lsmtree.kafka;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Committed entries from the engine overlaid with the uncommitted writes of the same range, in
 * the same direction: where both have a key the uncommitted write wins, and an uncommitted delete
 * hides the key. Not thread-safe.
 */
final class MergedKeyValueIterator extends LookaheadIterator {
    private final KeyValueIterator<Bytes, byte[]> committed;
    private final Iterator<Map.Entry<Bytes, byte[]>> uncommitted;
    private final boolean forward;
    private final Comparator<Bytes> order;
    private Map.Entry<Bytes, byte[]> pendingWrite;

    /** Both sources in {@code order} (reversed when not {@code forward}); key-value stores use the bytes' order. */
    MergedKeyValueIterator(KeyValueIterator<Bytes, byte[]> committed, List<Map.Entry<Bytes, byte[]>> uncommitted,
            boolean forward, Comparator<Bytes> order, String store) {
        super(store);
        this.committed = committed;
        this.uncommitted = uncommitted.iterator();
        this.forward = forward;
        this.order = order;
        this.pendingWrite = this.uncommitted.hasNext() ? this.uncommitted.next() : null;
    }

    @Override
    KeyValue<Bytes, byte[]> readNext() {
        while (pendingWrite != null || committed.hasNext()) {
            int first; // which comes first: > 0 the committed entry, < 0 the write, 0 the same key
            if (pendingWrite == null) {
                first = 1; // only committed entries are left
            } else if (!committed.hasNext()) {
                first = -1;
            } else {
                int c = order.compare(pendingWrite.getKey(), committed.peekNextKey());
                first = forward ? c : -c;
            }
            if (first > 0) {
                return committed.next();
            }
            if (first == 0) {
                committed.next(); // shadowed by the uncommitted write
            }
            Map.Entry<Bytes, byte[]> write = pendingWrite;
            pendingWrite = uncommitted.hasNext() ? uncommitted.next() : null;
            if (write.getValue() != UncommittedWrites.DELETED) {
                return KeyValue.pair(write.getKey(), write.getValue());
            }
        }
        return null;
    }

    @Override
    void release() {
        committed.close();
    }
}
