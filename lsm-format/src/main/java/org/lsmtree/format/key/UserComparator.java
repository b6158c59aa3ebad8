package org.lsmtree.format.key;

import java.util.Comparator;

/**
 * A total order over user keys, with a name that a store records in its MANIFEST so that it is
 * never opened with a different order. Implementations must be stateless and thread-safe.
 */
public interface UserComparator extends Comparator<byte[]> {

    /** The name recorded on disk; LevelDB's default is {@code leveldb.BytewiseComparator}. */
    String name();

    /**
     * A key {@code k} with {@code start <= k < limit}, as short as this order allows; used for
     * index-block separators. Returns {@code start} itself (or an equal copy) when nothing shorter
     * fits. Requires {@code start < limit}.
     */
    byte[] findShortestSeparator(byte[] start, byte[] limit);

    /** A short key {@code k >= key}; returns {@code key} (or an equal copy) when none is shorter. */
    byte[] findShortSuccessor(byte[] key);
}
