package org.lsmtree.format.key;

import java.util.Arrays;

/**
 * Orders user keys by their bytes taken as unsigned, a shorter key before any key it prefixes:
 * LevelDB's default order, named {@value #NAME}. Stateless singleton.
 */
public final class BytewiseComparator implements UserComparator {
    public static final String NAME = "leveldb.BytewiseComparator";
    public static final BytewiseComparator INSTANCE = new BytewiseComparator();

    private BytewiseComparator() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Override
    public byte[] findShortestSeparator(byte[] start, byte[] limit) {
        int minLength = Math.min(start.length, limit.length);
        int diff = Arrays.mismatch(start, 0, minLength, limit, 0, minLength);
        if (diff < 0) {
            return start; // one is a prefix of the other: nothing shorter lies between
        }
        int startByte = start[diff] & 0xff;
        if (startByte < 0xff && startByte + 1 < (limit[diff] & 0xff)) {
            byte[] separator = Arrays.copyOf(start, diff + 1);
            separator[diff]++;
            assert compare(separator, limit) < 0 && compare(start, separator) <= 0;
            return separator;
        }
        return start;
    }

    @Override
    public byte[] findShortSuccessor(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if ((key[i] & 0xff) != 0xff) {
                byte[] successor = Arrays.copyOf(key, i + 1);
                successor[i]++;
                return successor;
            }
        }
        return key; // all 0xff: no shorter successor
    }

    @Override
    public String toString() {
        return NAME;
    }
}
