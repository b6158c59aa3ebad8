package org.lsmtree.leveldb;

import static com.google.common.base.Preconditions.checkNotNull;

import org.iq80.leveldb.DBComparator;
import org.lsmtree.format.key.UserComparator;

/**
 * A LevelDB-API {@link DBComparator} as the engine's {@link UserComparator}: the order, the name
 * the MANIFEST records ({@code name()} as it is, as LevelDB records it, so a store made with a
 * custom comparator in LevelDB opens here under the same name and no other) and the two key
 * shortenings used for index separators. As thread-safe as the comparator it wraps, which LevelDB
 * requires to be.
 */
final class DBComparatorAdapter implements UserComparator {
    private final DBComparator comparator;

    DBComparatorAdapter(DBComparator comparator) {
        this.comparator = checkNotNull(comparator, "comparator");
        checkNotNull(comparator.name(), "name() of comparator %s", comparator);
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        return comparator.compare(a, b);
    }

    @Override
    public String name() {
        return comparator.name();
    }

    @Override
    public byte[] findShortestSeparator(byte[] start, byte[] limit) {
        return comparator.findShortestSeparator(start, limit);
    }

    @Override
    public byte[] findShortSuccessor(byte[] key) {
        return comparator.findShortSuccessor(key);
    }

    @Override
    public String toString() {
        return "DBComparator(" + comparator.name() + ")";
    }
}
