package org.lsmtree.sstable;

import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;

/**
 * Shortens the keys of index entries, as LevelDB does: the entry after a data block only needs a
 * key at or after the block's last key and before the next block's first key, and a shorter one
 * makes a smaller index. Implementations must agree with the table's key order, and be stateless
 * and thread-safe.
 */
public interface KeyShortener {

    /** Never shortens: index entries hold each block's last key. */
    KeyShortener NONE = new KeyShortener() {
        @Override
        public byte[] separator(byte[] start, byte[] limit) {
            return start;
        }

        @Override
        public byte[] successor(byte[] key) {
            return key;
        }
    };

    /** A key {@code k} with {@code start <= k < limit}, short if possible; requires {@code start < limit}. */
    byte[] separator(byte[] start, byte[] limit);

    /** A key {@code k >= key}, short if possible. */
    byte[] successor(byte[] key);

    /** The shortening of an order of plain user keys. */
    static KeyShortener of(UserComparator comparator) {
        return new KeyShortener() {
            @Override
            public byte[] separator(byte[] start, byte[] limit) {
                return comparator.findShortestSeparator(start, limit);
            }

            @Override
            public byte[] successor(byte[] key) {
                return comparator.findShortSuccessor(key);
            }
        };
    }

    /** The shortening of internal keys: the user key shortened, with the largest trailer. */
    static KeyShortener of(InternalKeyComparator comparator) {
        return new KeyShortener() {
            @Override
            public byte[] separator(byte[] start, byte[] limit) {
                return comparator.findShortestSeparator(start, limit);
            }

            @Override
            public byte[] successor(byte[] key) {
                return comparator.findShortSuccessor(key);
            }
        };
    }
}
