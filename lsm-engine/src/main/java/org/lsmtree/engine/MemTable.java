package org.lsmtree.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.NavigableMapIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;

/**
 * The newest writes, in memory: a concurrent skip list from encoded internal key to value (an
 * empty array for a tombstone). Every entry has its own sequence, so keys never repeat and an
 * entry is never replaced. Rebuilt from the WAL after a restart; flushed to a level-0 table
 * once it reaches the write-buffer size.
 *
 * <p>Thread-safe: one writer at a time adds (the engine's write path is serialized), any number of
 * readers and iterators read concurrently without locks.
 */
final class MemTable {
    /** Per-entry bookkeeping of the skip list, roughly, for sizing. */
    private static final int ENTRY_OVERHEAD = 64;

    private final InternalKeyComparator comparator;
    private final ConcurrentSkipListMap<byte[], byte[]> entries;
    private final AtomicLong approximateBytes = new AtomicLong();

    MemTable(InternalKeyComparator comparator) {
        this.comparator = comparator;
        this.entries = new ConcurrentSkipListMap<>(comparator);
    }

    /** Adds one entry; {@code value} is ignored for a delete. */
    void add(long sequence, ValueType type, byte[] userKey, byte[] value) {
        byte[] key = InternalKey.encode(userKey, sequence, type);
        byte[] stored = type == ValueType.PUT ? value : new byte[0];
        byte[] previous = entries.put(key, stored);
        assert previous == null : "sequence " + sequence + " added twice";
        approximateBytes.addAndGet(key.length + stored.length + ENTRY_OVERHEAD);
    }

    /** Adds every entry of {@code batch}, the first at sequence {@code first}, the next at {@code first + 1}... */
    void insert(long first, org.lsmtree.wal.WriteBatch batch) {
        long[] sequence = {first};
        batch.forEach(new org.lsmtree.wal.WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                add(sequence[0]++, ValueType.PUT, key, value);
            }

            @Override
            public void delete(byte[] key) {
                add(sequence[0]++, ValueType.DELETE, key, null);
            }
        });
    }

    /** The newest entry for {@code userKey} with a sequence at most {@code snapshot}. */
    Lookup get(byte[] userKey, long snapshot) {
        byte[] seek = InternalKey.encode(userKey, snapshot, ValueType.FOR_SEEK);
        Map.Entry<byte[], byte[]> entry = entries.ceilingEntry(seek);
        if (entry == null || comparator.userComparator().compare(InternalKey.userKeyOf(entry.getKey()), userKey) != 0) {
            return Lookup.ABSENT;
        }
        long trailer = InternalKey.trailerOf(entry.getKey());
        return (trailer & 0xff) == ValueType.PUT.code() ? Lookup.found(entry.getValue()) : Lookup.DELETED;
    }

    /** An iterator over the entries (internal keys), seeing some later additions. */
    InternalIterator iterator() {
        return new NavigableMapIterator(entries);
    }

    /** Roughly the memory the entries take. */
    long approximateBytes() {
        return approximateBytes.get();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** Adds every entry at or below {@code maxSequence} to {@code out}, in order. */
    void writeTo(TableWriting out, long maxSequence) throws java.io.IOException {
        try (InternalIterator entries = iterator()) {
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                if (InternalKey.trailerOf(entries.key()) >>> 8 <= maxSequence) {
                    out.add(entries.key(), entries.value());
                }
            }
        }
    }
}
