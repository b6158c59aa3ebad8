package org.lsmtree.format.storage;

import io.netty.buffer.ByteBuf;

/**
 * A {@link WritableFile} that keeps only its size: what is appended is counted and dropped. For
 * measuring a writer (bytes produced, allocations made) without the cost of keeping its output.
 * Flush and sync do nothing. Not thread-safe.
 */
public final class SizeOnlyWritableFile implements WritableFile {
    private long size;

    @Override
    public void append(byte[] source, int offset, int length) {
        size += length;
    }

    @Override
    public void append(ByteBuf source) {
        size += source.readableBytes();
    }

    @Override
    public void flush() {}

    @Override
    public void sync() {}

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() {}
}
