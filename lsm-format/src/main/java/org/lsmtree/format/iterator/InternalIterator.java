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
 * reuse), and must not be changed. {@link #keyView} and {@link #valueView} show the same bytes
 * without a copy where the implementation can: a caller walking many entries keeps one
 * {@link Slice} per source and allocates nothing per entry. Reads may fail: a damaged block found while moving is a
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

    /**
     * Positions on the first entry whose key is at or after {@code target}. The target stays the
     * caller's: an implementation does not keep it past the call (callers reuse the array).
     */
    void seek(byte[] target) throws IOException;

    /** Moves to the next entry. Requires {@link #isValid()}. */
    void next() throws IOException;

    /** Moves to the previous entry. Requires {@link #isValid()}. */
    void prev() throws IOException;

    /** The current entry's key. Requires {@link #isValid()}. */
    byte[] key();

    /** The current entry's value. Requires {@link #isValid()}. */
    byte[] value();

    /**
     * Points {@code view} at the current key's bytes and returns it. What it shows is valid until
     * this iterator moves or closes and must not be changed. Implementations that hold the key in
     * an array they own override this to show it in place; the default shows a copy
     * ({@link #key()}). Requires {@link #isValid()}.
     */
    default Slice keyView(Slice view) {
        return view.set(key());
    }

    /** Points {@code view} at the current value's bytes, as {@link #keyView} does for the key. */
    default Slice valueView(Slice view) {
        return view.set(value());
    }

    /** Releases what the iterator holds (blocks, files). Closing twice is harmless. */
    @Override
    void close() throws IOException;
}
