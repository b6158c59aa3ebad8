package org.lsmtree.format.log;

import java.util.Arrays;

/**
 * The record a {@link LogReader} is assembling from its fragments: where it began, how many payload
 * bytes its fragments have brought so far, and those bytes, unless it is being discarded. A record
 * is discarded (its fragments are still read, checked and counted, but not kept) when the reader
 * knows before buffering it that it cannot complete, or once it outgrows the reader's maximum
 * record size; so a torn or hostile chain of fragments costs no memory beyond that maximum.
 *
 * <p>Not thread-safe; one per record.
 */
final class OpenRecord {
    private final long offset;
    private final int maxSize;
    private byte[] bytes;
    private long size;

    private OpenRecord(long offset, int maxSize, byte[] bytes) {
        this.offset = offset;
        this.maxSize = maxSize;
        this.bytes = bytes;
    }

    /** A record to keep, with room for {@code expectedSize} bytes (it grows if more come). */
    static OpenRecord buffered(long offset, int maxSize, int expectedSize) {
        return new OpenRecord(offset, maxSize, new byte[Math.min(expectedSize, maxSize)]);
    }

    /** A record whose fragments are read but not kept. */
    static OpenRecord discarded(long offset, int maxSize) {
        return new OpenRecord(offset, maxSize, null);
    }

    /** The file offset of its first header. */
    long offset() {
        return offset;
    }

    /** The payload bytes its fragments brought so far, kept or not. */
    long size() {
        return size;
    }

    /** Whether it grew past the maximum record size. */
    boolean tooLarge() {
        return size > maxSize;
    }

    /** Adds a fragment's payload; past the maximum size the record is discarded from then on. */
    void append(byte[] source, int from, int length) {
        size += length;
        if (bytes == null) {
            return;
        }
        if (size > maxSize) {
            bytes = null;
            return;
        }
        if (size > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxSize, Math.max(size, 2L * bytes.length)));
        }
        System.arraycopy(source, from, bytes, (int) size - length, length);
    }

    /** The whole record, or null when it was discarded. */
    byte[] toArray() {
        if (bytes == null) {
            return null;
        }
        return bytes.length == size ? bytes : Arrays.copyOf(bytes, (int) size);
    }
}
