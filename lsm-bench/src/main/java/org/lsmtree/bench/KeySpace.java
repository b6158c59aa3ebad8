package org.lsmtree.bench;

import java.util.Random;

/**
 * The keys and values every engine is given: key {@code i} is {@code i} in decimal, zero-padded to
 * the key size ({@code %016d} by default), so numeric and byte order agree; a missing key is a
 * present one with {@code '.'} appended (db_bench's readmissing). Values are slices of one block
 * of random bytes drawn from the seed, so every engine stores the same bytes.
 *
 * <p>Every call returns a new array: some engines keep the arrays they are given (iq80 wraps them),
 * so none may be reused. Thread-safe (immutable).
 */
final class KeySpace {
    private final int keySize;
    private final int valueSize;
    private final byte[] valuePool;

    KeySpace(int keySize, int valueSize, long seed) {
        if (keySize < 10) {
            throw new IllegalArgumentException("--key_size must be at least 10 (an int in decimal), got " + keySize);
        }
        if (valueSize < 0) {
            throw new IllegalArgumentException("--value_size must not be negative, got " + valueSize);
        }
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.valuePool = new byte[valueSize * 64 + 4096];
        new Random(seed ^ 0x5DEECE66DL).nextBytes(valuePool);
    }

    int keySize() {
        return keySize;
    }

    int valueSize() {
        return valueSize;
    }

    /** Bytes of one entry as the user sees it (key plus value). */
    long entryBytes() {
        return keySize + valueSize;
    }

    byte[] key(int index) {
        byte[] key = new byte[keySize];
        fill(key, index);
        return key;
    }

    /** A key that sorts right after {@code key(index)} and is never written. */
    byte[] missingKey(int index) {
        byte[] key = new byte[keySize + 1];
        fill(key, index);
        key[keySize] = '.';
        return key;
    }

    /** The value written with operation {@code op}: a slice of the pool that depends on op. */
    byte[] value(long op) {
        byte[] value = new byte[valueSize];
        valueInto(op, value);
        return value;
    }

    /** Writes {@code key(index)} into {@code key} (of the key size): for a caller that reuses its arrays. */
    void keyInto(int index, byte[] key) {
        fill(key, index);
    }

    /** Writes {@code value(op)} into {@code value} (of the value size): for a caller that reuses its arrays. */
    void valueInto(long op, byte[] value) {
        int offset = (int) Math.floorMod(op * 7919L, (long) (valuePool.length - valueSize));
        System.arraycopy(valuePool, offset, value, 0, valueSize);
    }

    /** The indexes {@code 0..count-1} in an order drawn from {@code seed} (a Fisher-Yates shuffle): fillrandom's. */
    static int[] shuffledIndexes(int count, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private void fill(byte[] key, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("key index must not be negative: " + index);
        }
        int rest = index;
        for (int i = keySize - 1; i >= 0; i--) {
            key[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
    }
}
