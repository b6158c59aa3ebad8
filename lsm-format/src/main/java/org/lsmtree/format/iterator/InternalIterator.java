package org.lsmtree.format.iterator;

import java.io.Closeable;
import java.io.IOException;

/**
 * The one shape every ordered source of entries has: a block, a table, a memtable, a level, a
 * merge of them. Positioned on one entry or invalid; moves both ways; seeks. Keys are ordered by
 * the comparator of the source (for internal keys, {@code InternalKeyComparator}).
 *
 * <p>{@link #key()} and {@link #value()} require {@link #isValid()}; the arrays they return are
 * the caller's to keep (implementations return fresh or immutable arrays, never a buffer they
 * reuse), and must not be changed. Reads may fail: a damaged block found while moving is a
 * {@link org.lsmtree.format.CorruptionException} naming its file and offset.
 *
 * <p>Not thread-safe: one iterator, one thread at a time.
 */
public interface InternalIterator extends Closeable {

    /** Whether the iterator is positioned on an entry. */
    boolean isValid();

    /** Positions on the first entry (invalid when there is none). */
    void seekToFirst() throws IOException;

    /** Positions on the last entry (invalid when there is none). */
    void seekToLast() throws IOException;

    /** Positions on the first entry whose key is at or after {@code target}. */
    void seek(byte[] target) throws IOException;

    /** Moves to the next entry. Requires {@link #isValid()}. */
    void next() throws IOException;

    /** Moves to the previous entry. Requires {@link #isValid()}. */
    void prev() throws IOException;

    /** The current entry's key. Requires {@link #isValid()}. */
    byte[] key();

    /** The current entry's value. Requires {@link #isValid()}. */
    byte[] value();

    /** Releases what the iterator holds (blocks, files). Closing twice is harmless. */
    @Override
    void close() throws IOException;
}
