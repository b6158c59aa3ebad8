package org.lsmtree.kafka;

import java.util.Arrays;

/**
 * A range of engine keys, {@code [lower, upper]} or {@code [lower, upper)}, in the data space of
 * {@link StoreKeys}: what a range query, a full scan and a prefix scan of a store all become.
 * Immutable.
 */
record EngineRange(byte[] lower, byte[] upper, boolean upperInclusive) {

    /** User keys from {@code from} to {@code to}, both inclusive; null is unbounded on that side. */
    static EngineRange ofUserKeys(byte[] from, byte[] to) {
        byte[] lower = from == null ? StoreKeys.DATA_START : StoreKeys.data(from);
        return to == null
                ? new EngineRange(lower, StoreKeys.DATA_END, false)
                : new EngineRange(lower, StoreKeys.data(to), true);
    }

    /** Every user key starting with {@code prefix}. */
    static EngineRange ofPrefix(byte[] prefix) {
        byte[] lower = StoreKeys.data(prefix);
        return new EngineRange(lower, successorOfPrefix(lower), false);
    }

    /** Whether {@code engineKey} is at or below the upper end. */
    boolean belowUpper(byte[] engineKey) {
        int c = Arrays.compareUnsigned(engineKey, upper);
        return upperInclusive ? c <= 0 : c < 0;
    }

    /** Whether {@code engineKey} is at or above the lower end. */
    boolean aboveLower(byte[] engineKey) {
        return Arrays.compareUnsigned(engineKey, lower) >= 0;
    }

    /**
     * A user key greater than every user key starting with {@code prefix}, or null when there is
     * none (an empty prefix, or one of 0xff bytes only): the inclusive upper end of a scan that
     * must reach every key with that prefix.
     */
    static byte[] pastPrefixOrNull(byte[] prefix) {
        int end = prefix.length;
        while (end > 0 && prefix[end - 1] == (byte) 0xff) {
            end--;
        }
        if (end == 0) {
            return null;
        }
        byte[] out = Arrays.copyOf(prefix, end);
        out[end - 1]++;
        return out;
    }

    /**
     * The smallest key greater than every key starting with {@code prefix}: the prefix without its
     * trailing 0xff bytes, last byte plus one. {@code prefix} starts with {@link StoreKeys#DATA},
     * so one exists.
     */
    static byte[] successorOfPrefix(byte[] prefix) {
        int end = prefix.length;
        while (end > 0 && prefix[end - 1] == (byte) 0xff) {
            end--;
        }
        assert end > 0 : "a data-space prefix always has a byte below 0xff";
        byte[] out = Arrays.copyOf(prefix, end);
        out[end - 1]++;
        return out;
    }
}
