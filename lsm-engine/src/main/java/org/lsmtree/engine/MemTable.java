package org.lsmtree.engine;

import java.util.List;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.wal.WriteBatch;

/**
 * The newest writes, in memory: an {@link ArenaSkipList} of internal keys and values (an empty
 * value for a tombstone) whose bytes live in an {@link Arena}. Every entry has its own sequence, so
 * keys never repeat and an entry is never replaced. Rebuilt from the WAL after a restart; flushed
 * to a level-0 table once it reaches the write-buffer size.
 *
 * <p>Entries are copied once, from the batch's encoded bytes straight into the arena; a lookup
 * compares keys in place and allocates only the value it returns.
 *
 * <p>Thread-safe: one writer at a time adds (the engine's write path is serialized: the store's
 * write lock, or recovery's single thread), any number of readers and iterators read concurrently
 * without locks.
 */
final class MemTable {
    private static final byte[] EMPTY = new byte[0];

    private final Arena arena = new Arena();
    private final ArenaSkipList entries;
    private final Inserter inserter = new Inserter(); // the writer's, reused

    MemTable(InternalKeyComparator comparator) {
        this.entries = new ArenaSkipList(arena, comparator.userComparator());
    }

    /** Adds one entry; {@code value} is ignored for a delete. */
    void add(long sequence, ValueType type, byte[] userKey, byte[] value) {
        byte[] stored = type == ValueType.PUT ? value : EMPTY;
        entries.insert(userKey, 0, userKey.length, InternalKey.packTrailer(sequence, type), stored, 0, stored.length);
    }

    /** Adds every entry of {@code batch}, the first at sequence {@code first}, the next at {@code first + 1}... */
    void insert(long first, WriteBatch batch) {
        InternalKey.packTrailer(first + Math.max(0, batch.count() - 1), ValueType.PUT); // checks the range
        inserter.sequence = first;
        batch.forEachEntry(inserter);
    }

    /** Adds the batches of a write group in order, the first entry at {@code first}; returns the entry count. */
    int insert(long first, List<WriteBatch> group) {
        int count = 0;
        for (int i = 0; i < group.size(); i++) { // indexed: no iterator per write
            insert(first + count, group.get(i));
            count += group.get(i).count();
        }
        return count;
    }

    /** The newest entry for {@code userKey} with a sequence at most {@code snapshot}. */
    Lookup get(byte[] userKey, long snapshot) {
        long node = entries.findGreaterOrEqual(userKey, 0, userKey.length,
                InternalKey.packTrailer(snapshot, ValueType.FOR_SEEK), null);
        if (node == 0 || !entries.hasUserKey(node, userKey, 0, userKey.length)) {
            return Lookup.ABSENT;
        }
        byte[] chunk = entries.chunk(node);
        if ((ArenaSkipList.trailer(chunk, node) & 0xff) != ValueType.PUT.code()) {
            return Lookup.DELETED;
        }
        int start = ArenaSkipList.keyOffset(node) + ArenaSkipList.keyLength(chunk, node);
        return Lookup.foundCopy(java.util.Arrays.copyOfRange(chunk, start, start + ArenaSkipList.valueLength(chunk, node)));
    }

    /** An iterator over the entries (internal keys), seeing some later additions. */
    InternalIterator iterator() {
        return new MemTableIterator(entries);
    }

    /**
     * The arena's bytes: every byte handed to an entry (its node, key, value, alignment) plus the
     * chunk tails left unused, exact to the byte. What the heap holds is at most one chunk
     * ({@value Arena#CHUNK_SIZE} bytes) more: see {@link #heapBytes()}.
     */
    long approximateBytes() {
        return arena.bytes();
    }

    /** The bytes of every arena chunk allocated, used or not. */
    long heapBytes() {
        return arena.heapBytes();
    }

    boolean isEmpty() {
        return entries.size() == 0;
    }

    int size() {
        return entries.size();
    }

    /** Adds every entry at or below {@code maxSequence} to {@code out}, in order, one link per step. */
    void writeTo(TableWriting out, long maxSequence) throws java.io.IOException {
        MemTableIterator entries = new MemTableIterator(this.entries);
        Slice key = new Slice();
        Slice value = new Slice();
        for (entries.seekToFirst(); entries.isValid(); entries.next()) {
            if (entries.sequence() <= maxSequence) { // views of the arena: the table copies them once
                out.add(entries.keyView(key), entries.valueView(value));
            }
        }
    }

    /** Inserts a batch's entries in place, at consecutive sequences. */
    private final class Inserter implements WriteBatch.EntryVisitor {
        long sequence;

        @Override
        public void put(byte[] encoded, int keyOffset, int keyLength, int valueOffset, int valueLength) {
            entries.insert(encoded, keyOffset, keyLength, trailer(ValueType.PUT), encoded, valueOffset, valueLength);
        }

        @Override
        public void delete(byte[] encoded, int keyOffset, int keyLength) {
            entries.insert(encoded, keyOffset, keyLength, trailer(ValueType.DELETE), EMPTY, 0, 0);
        }

        private long trailer(ValueType type) {
            return sequence++ << 8 | type.code();
        }
    }
}
