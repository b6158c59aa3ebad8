package org.lsmtree.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Bytes;
import org.lsmtree.wal.WriteBatch;

/**
 * The writes of a key-value store since its last commit, held in memory under exactly-once so
 * that the engine only ever holds committed state: read-your-writes for the stream thread (and
 * for interactive queries), written to the engine in the commit's one synced batch, dropped by a
 * close or a crash before it. A delete is kept as {@link #DELETED}, compared by identity.
 *
 * <p>Memory: about the bytes of the keys and values written since the last commit (plus a map
 * entry each), reported through {@link #bytes()} so Kafka Streams can commit early when it grows.
 *
 * <p>Thread-safety: one writer (the stream thread), concurrent readers; a reader's range view is a
 * copy taken when its iterator is made.
 */
final class UncommittedWrites {
    /** The value standing for a delete. */
    static final byte[] DELETED = new byte[0];
    private static final int ENTRY_OVERHEAD = 64;

    private final ConcurrentSkipListMap<Bytes, byte[]> writes = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /** Records a put of {@code value}, or a delete when it is null. */
    void put(Bytes key, byte[] value) {
        byte[] stored = value == null ? DELETED : value;
        byte[] previous = writes.put(key, stored);
        long added = previous == null ? ENTRY_OVERHEAD + key.get().length + stored.length
                : stored.length - previous.length;
        bytes.addAndGet(added);
    }

    /** The write to {@code key} since the last commit: a value, {@link #DELETED}, or null when none. */
    byte[] get(Bytes key) {
        return writes.get(key);
    }

    long bytes() {
        return bytes.get();
    }

    /** How many keys were written since the last commit. */
    int size() {
        return writes.size();
    }

    /**
     * A copy of the writes to user keys in {@code [lower, upper]} (or {@code [lower, upper)} when
     * not {@code upperInclusive}; null is unbounded), in the order asked.
     */
    List<Map.Entry<Bytes, byte[]>> copyOfRange(Bytes lower, Bytes upper, boolean upperInclusive, boolean forward) {
        NavigableMap<Bytes, byte[]> view = writes;
        if (lower != null) {
            view = view.tailMap(lower, true);
        }
        if (upper != null) {
            view = view.headMap(upper, upperInclusive);
        }
        return new ArrayList<>((forward ? view : view.descendingMap()).entrySet());
    }

    /** Adds every write to {@code batch}, under {@link StoreKeys#data} keys. */
    void addTo(WriteBatch batch) {
        for (Map.Entry<Bytes, byte[]> write : writes.entrySet()) {
            byte[] key = StoreKeys.data(write.getKey().get());
            if (write.getValue() == DELETED) {
                batch.delete(key);
            } else {
                batch.put(key, write.getValue());
            }
        }
    }

    /** Forgets every write (after a commit wrote them, or a close that drops them). */
    void clear() {
        writes.clear();
        bytes.set(0);
    }
}
