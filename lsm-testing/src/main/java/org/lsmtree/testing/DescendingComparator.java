package org.lsmtree.testing;

import java.util.Arrays;
import org.lsmtree.format.key.UserComparator;

/**
 * Bytes in descending unsigned order: a user order that is not LevelDB's bytewise one, for tests
 * that check code paths specialised for the bytewise order against the general ones. It never
 * shortens keys (separators and successors are the keys themselves), which is always correct.
 */
public final class DescendingComparator implements UserComparator {
    /** The one instance; stateless. */
    public static final DescendingComparator INSTANCE = new DescendingComparator();

    private DescendingComparator() {}

    @Override
    public String name() {
        return "test.DescendingBytes";
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(b, a);
    }

    @Override
    public byte[] findShortestSeparator(byte[] start, byte[] limit) {
        return start;
    }

    @Override
    public byte[] findShortSuccessor(byte[] key) {
        return key;
    }
}
