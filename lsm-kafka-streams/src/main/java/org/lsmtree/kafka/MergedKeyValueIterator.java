package org.lsmtree.kafka;

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
    private Map.Entry<Bytes, byte[]> pendingWrite;

    MergedKeyValueIterator(KeyValueIterator<Bytes, byte[]> committed, List<Map.Entry<Bytes, byte[]>> uncommitted,
            boolean forward, String store) {
        super(store);
        this.committed = committed;
        this.uncommitted = uncommitted.iterator();
        this.forward = forward;
        this.pendingWrite = this.uncommitted.hasNext() ? this.uncommitted.next() : null;
    }

    @Override
    KeyValue<Bytes, byte[]> readNext() {
        while (pendingWrite != null || committed.hasNext()) {
            int order;
            if (pendingWrite == null) {
                order = 1; // only committed entries are left
            } else if (!committed.hasNext()) {
                order = -1;
            } else {
                int c = pendingWrite.getKey().compareTo(committed.peekNextKey());
                order = forward ? c : -c;
            }
            if (order > 0) {
                return committed.next();
            }
            if (order == 0) {
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
