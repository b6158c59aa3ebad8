package org.lsmtree.testing;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One write as a test model sees it: a put of {@code value} under {@code key}, or a delete when
 * {@code value} is null. Equal by content; prints short hex so a shrunk counterexample reads well.
 */
public record Mutation(byte[] key, byte[] value) {

    public Mutation {
        if (key == null) {
            throw new IllegalArgumentException("null key");
        }
    }

    /** True for a put, false for a delete. */
    public boolean isPut() {
        return value != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mutation other && Arrays.equals(key, other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return isPut() ? "put " + hex(key) + " = " + hex(value) : "delete " + hex(key);
    }

    /** Hex of the first 16 bytes in brackets, and the length when there are more. */
    public static String hex(byte[] bytes) {
        String head = HexFormat.of().formatHex(bytes, 0, Math.min(16, bytes.length));
        return bytes.length <= 16 ? "[" + head + "]" : "[" + head + "... " + bytes.length + " bytes]";
    }
}
