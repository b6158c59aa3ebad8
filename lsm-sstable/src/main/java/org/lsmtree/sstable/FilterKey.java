package org.lsmtree.sstable;

import java.util.Arrays;
import org.lsmtree.format.key.InternalKey;

/**
 * Which part of a table key the bloom filter hashes. LevelDB's stores filter on the user key of
 * an internal key (its {@code InternalFilterPolicy} strips the 8-byte trailer), so that a lookup
 * at any sequence number finds the filter bits; a table of plain keys filters whole keys.
 * Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface FilterKey {

    /** Filters whole keys. */
    FilterKey WHOLE_KEY = new FilterKey() {
        @Override
        public byte[] of(byte[] key) {
            return key;
        }

        @Override
        public int prefixLength(byte[] key) {
            return key.length;
        }

        @Override
        public int prefixLength(byte[] array, int offset, int length) {
            return length;
        }
    };

    /** Filters the user key of an internal key: all but its last 8 bytes. */
    FilterKey USER_KEY = new FilterKey() {
        @Override
        public byte[] of(byte[] key) {
            return Arrays.copyOf(key, prefixLength(key));
        }

        @Override
        public int prefixLength(byte[] key) {
            return prefixLength(key, 0, key.length);
        }

        @Override
        public int prefixLength(byte[] array, int offset, int length) {
            return Math.max(0, length - InternalKey.TRAILER_SIZE);
        }
    };

    /** The bytes the filter hashes for table key {@code key}; {@code key} must not be changed. */
    byte[] of(byte[] key);

    /**
     * When {@link #of} is a prefix of {@code key}, its length, so that a probe hashes the key in
     * place; -1 (the default) when it is not, and the probe hashes {@link #of}.
     */
    default int prefixLength(byte[] key) {
        return -1;
    }

    /**
     * {@link #prefixLength(byte[])} for the key {@code array[offset, offset + length)}, where it
     * lies (a table builder given a view of a key): -1 (the default) when {@link #of} is not a
     * prefix, and the builder hashes {@link #of} of a copy.
     */
    default int prefixLength(byte[] array, int offset, int length) {
        return -1;
    }
}
