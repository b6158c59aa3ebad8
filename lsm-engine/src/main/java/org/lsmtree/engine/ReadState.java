package org.lsmtree.engine;

import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.iterator.InternalIterator;

/**
 * What a read sees, swapped as one immutable value so that a reader never meets a half-made
 * change: the mutable memtable and the immutable one being flushed (or null). A reader takes
 * the current {@code ReadState} once and works from it alone.
 */
record ReadState(MemTable mutable, MemTable immutable) {

    /** The newest entry for {@code userKey} at {@code snapshot} among the memtables. */
    Lookup get(byte[] userKey, long snapshot) {
        Lookup found = mutable.get(userKey, snapshot);
        if (!found.isSettled() && immutable != null) {
            found = immutable.get(userKey, snapshot);
        }
        return found;
    }

    /** Iterators over the memtables, newest first. */
    List<InternalIterator> iterators() {
        List<InternalIterator> iterators = new ArrayList<>(2);
        iterators.add(mutable.iterator());
        if (immutable != null) {
            iterators.add(immutable.iterator());
        }
        return iterators;
    }
}
