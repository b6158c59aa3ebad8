package org.lsmtree.kafka;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.lsmtree.wal.WriteBatch;

/**
 * The writes of a window or session store since its last commit, held in memory under
 * exactly-once with transactional state stores, as {@link UncommittedWrites} holds a key-value
 * store's: ordered as a segmented store answers (by segment, then binary key), so that
 * {@link MergedKeyValueIterator} can lay them over the committed entries. A delete is
 * {@link UncommittedWrites#DELETED}.
 *
 * <p>Thread-safety: one writer (the stream thread), concurrent readers taking copies.
 */
final class UncommittedSegmentWrites {
    private static final int ENTRY_OVERHEAD = 80;

    /** A binary key in its segment. */
    record Slot(long segment, Bytes key) implements Comparable<Slot> {
        private static final Comparator<Slot> ORDER =
                Comparator.comparingLong(Slot::segment).thenComparing(Slot::key);

        @Override
        public int compareTo(Slot other) {
            return ORDER.compare(this, other);
        }
    }

    private final ConcurrentSkipListMap<Slot, byte[]> writes = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /** Records a put of {@code value} (null: a delete) of {@code key} in {@code segment}. */
    void put(long segment, Bytes key, byte[] value) {
        byte[] stored = value == null ? UncommittedWrites.DELETED : value;
        byte[] previous = writes.put(new Slot(segment, key), stored);
        long added = previous == null ? ENTRY_OVERHEAD + key.get().length + stored.length
                : stored.length - previous.length;
        bytes.addAndGet(added);
    }

    /** The write to {@code key} since the last commit: a value, {@code DELETED}, or null when none. */
    byte[] get(long segment, Bytes key) {
        return writes.get(new Slot(segment, key));
    }

    long bytes() {
        return bytes.get();
    }

    /** A copy of the writes in segments {@code [fromSegment, toSegment]} whose key passes {@code keep}, in order. */
    List<Map.Entry<Bytes, byte[]>> copy(long fromSegment, long toSegment, Predicate<byte[]> keep, boolean forward) {
        List<Map.Entry<Bytes, byte[]>> out = new ArrayList<>();
        if (fromSegment > toSegment) {
            return out;
        }
        Slot lower = new Slot(fromSegment, Bytes.wrap(new byte[0]));
        NavigableMap<Slot, byte[]> range = toSegment == Long.MAX_VALUE ? writes.tailMap(lower, true)
                : writes.subMap(lower, true, new Slot(toSegment + 1, Bytes.wrap(new byte[0])), false);
        for (Map.Entry<Slot, byte[]> write : (forward ? range : range.descendingMap()).entrySet()) {
            if (keep.test(write.getKey().key().get())) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(write.getKey().key(), write.getValue()));
            }
        }
        return out;
    }

    /** Every write as one batch per segment (under {@link StoreKeys#data} keys), by segment id. */
    NavigableMap<Long, WriteBatch> batchesBySegment() {
        NavigableMap<Long, WriteBatch> batches = new java.util.TreeMap<>();
        for (Map.Entry<Slot, byte[]> write : writes.entrySet()) {
            WriteBatch batch = batches.computeIfAbsent(write.getKey().segment(), id -> new WriteBatch());
            byte[] key = StoreKeys.data(write.getKey().key().get());
            if (write.getValue() == UncommittedWrites.DELETED) {
                batch.delete(key);
            } else {
                batch.put(key, write.getValue());
            }
        }
        return batches;
    }

    void clear() {
        writes.clear();
        bytes.set(0);
    }
}
