package org.lsmtree.format.iterator;

import java.util.Arrays;

/**
 * A window on bytes someone else owns: {@code length} bytes of {@code array} from
 * {@code offset}. Iterators fill one the caller passes in ({@link InternalIterator#keyView},
 * {@link InternalIterator#valueView}) instead of copying the bytes out, so a caller that keeps one
 * {@code Slice} per source walks entries without allocating.
 *
 * <p>What a slice shows is valid only as long as its filler says (for an iterator: until it
 * moves or closes), and must not be changed. A slice itself is a mutable holder: not thread-safe.
 */
public final class Slice {
    private static final byte[] EMPTY = new byte[0];

    private byte[] array = EMPTY;
    private int offset;
    private int length;

    /** Points this slice at {@code length} bytes of {@code array} from {@code offset}. */
    public Slice set(byte[] array, int offset, int length) {
        assert offset >= 0 && length >= 0 && offset + length <= array.length
                : "slice [" + offset + ", +" + length + ") of " + array.length + " bytes";
        this.array = array;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Points this slice at the whole of {@code array}. */
    public Slice set(byte[] array) {
        return set(array, 0, array.length);
    }

    /** Shows what {@code other} shows (the same bytes, not a copy). */
    public Slice set(Slice other) {
        return set(other.array, other.offset, other.length);
    }

    /** Drops the bytes it showed: an empty slice. */
    public Slice clear() {
        return set(EMPTY, 0, 0);
    }

    /** The array the bytes are in (not a copy; never change it). */
    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** A copy of the bytes shown, the caller's to keep. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    @Override
    public String toString() {
        return "Slice(" + length + " bytes)";
    }
}
