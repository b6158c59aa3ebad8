package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A {@link SequentialFile} over bytes already in memory: a log held in an array, or the first
 * {@code length} bytes of one (a truncated copy without copying). The array is not copied; the
 * caller must not change it while reading. Not thread-safe.
 */
public final class ByteArraySequentialFile implements SequentialFile {
    private final byte[] bytes;
    private final int length;
    private int position;

    /** Reads {@code bytes[0, length)}. */
    public ByteArraySequentialFile(byte[] bytes, int length) {
        this.bytes = checkNotNull(bytes, "bytes");
        checkArgument(length >= 0 && length <= bytes.length, "length %s outside [0, %s]", length, bytes.length);
        this.length = length;
    }

    /** Reads all of {@code bytes}. */
    public ByteArraySequentialFile(byte[] bytes) {
        this(bytes, bytes.length);
    }

    @Override
    public int read(byte[] target, int offset, int count) {
        if (count == 0) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        int n = Math.min(count, length - position);
        System.arraycopy(bytes, position, target, offset, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long count) {
        int n = (int) Math.min(Math.max(count, 0), length - position);
        position += n;
        return n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() {}
}
