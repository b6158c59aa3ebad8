package org.lsmtree.format.iterator;

import java.util.Arrays;

/**
 * A copy of one key (or any byte range) kept while its source moves on, in an array reused from
 * one key to the next: what a writer needs of "the previous key" when the keys it is given are
 * views ({@link Slice}) that change under it. Copying into it allocates only when a key is longer
 * than any before it.
 *
 * <p>Layout: the key is {@code array()[0, length())}; the rest of the array is spare room. Empty
 * (length 0) until first set. Not thread-safe.
 */
public final class KeyCopy {
    private byte[] bytes;
    private int length;

    /** An empty copy with room for {@code capacity} bytes before it grows. */
    public KeyCopy(int capacity) {
        bytes = new byte[capacity];
    }

    /** Replaces the copy with {@code array[offset, offset + length)}. */
    public KeyCopy set(byte[] array, int offset, int length) {
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        System.arraycopy(array, offset, bytes, 0, length);
        this.length = length;
        return this;
    }

    /** Replaces the copy with the bytes {@code view} shows. */
    public KeyCopy set(Slice view) {
        return set(view.array(), view.offset(), view.length());
    }

    /** Empties the copy (its room is kept). */
    public void clear() {
        length = 0;
    }

    /** The array holding the copy in its first {@link #length()} bytes; valid until the next {@code set}. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** Points {@code view} at the copy (valid until the next {@code set}) and returns it. */
    public Slice view(Slice view) {
        return view.set(bytes, 0, length);
    }

    /** The copied bytes as a new array, the caller's to keep. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public String toString() {
        return "KeyCopy(" + length + " bytes)";
    }
}
