package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkPositionIndexes;

/**
 * A {@link RandomReadFile} over bytes already in memory, or over the first {@code length} of them
 * (a truncated copy without copying). The array is not copied; the caller must not change it
 * while reading. Thread-safe for reads, as the contract asks.
 */
public final class ByteArrayRandomReadFile implements RandomReadFile {
    private final byte[] bytes;
    private final int length;

    /** Reads {@code bytes[0, length)}. */
    public ByteArrayRandomReadFile(byte[] bytes, int length) {
        this.bytes = checkNotNull(bytes, "bytes");
        checkArgument(length >= 0 && length <= bytes.length, "length %s outside [0, %s]", length, bytes.length);
        this.length = length;
    }

    /** Reads all of {@code bytes}. */
    public ByteArrayRandomReadFile(byte[] bytes) {
        this(bytes, bytes.length);
    }

    @Override
    public int read(long position, byte[] target, int offset, int count) {
        checkArgument(position >= 0, "negative position %s", position);
        checkPositionIndexes(offset, offset + count, target.length);
        if (position >= length) {
            return 0;
        }
        int n = (int) Math.min(count, length - position);
        System.arraycopy(bytes, (int) position, target, offset, n);
        return n;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void close() {}
}
