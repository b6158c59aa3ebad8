package org.lsmtree.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.lsmtree.format.iterator.InternalIterator;

/**
 * What a read sees, swapped as one immutable value so that a reader never meets a half-made
 * change: the mutable memtable, the immutable one being flushed (or null), and the current
 * {@link Version} of the tables. A reader takes the current {@code ReadState} once, holds a
 * reference on its version while it reads, and works from it alone.
 */
record ReadState(MemTable mutable, MemTable immutable, Version version) {

    /**
     * The value of {@code userKey} at {@code snapshot}, or null when it is absent or deleted:
     * memtables first, then tables. The array is the caller's (copied once, never shared).
     */
    byte[] get(byte[] userKey, long snapshot, boolean verifyChecksums) throws IOException {
        Lookup found = mutable.get(userKey, snapshot);
        if (!found.isSettled() && immutable != null) {
            found = immutable.get(userKey, snapshot);
        }
        if (found.isSettled()) {
            return found.valueForCaller();
        }
        return version.get(userKey, snapshot, verifyChecksums);
    }

    /**
     * Iterators over every source, newest first; the tables' iterators add the blocks they read
     * to the block cache only if {@code fillCache}.
     */
    List<InternalIterator> iterators(boolean verifyChecksums, boolean fillCache) throws IOException {
        List<InternalIterator> iterators = new ArrayList<>(2 + version.iteratorCount());
        iterators.add(mutable.iterator());
        if (immutable != null) {
            iterators.add(immutable.iterator());
        }
        version.addIterators(iterators, verifyChecksums, fillCache);
        return iterators;
    }

    /** The read state {@code current} gives, with a reference held on its version; the caller releases it. */
    static ReadState pin(Supplier<ReadState> current) {
        while (true) {
            ReadState state = current.get();
            if (state.version().acquire()) {
                return state;
            }
        }
    }
}
