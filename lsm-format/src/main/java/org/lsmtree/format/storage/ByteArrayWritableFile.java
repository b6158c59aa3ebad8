package org.lsmtree.format.storage;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;

/**
 * A {@link WritableFile} that keeps what is appended in memory ({@link #toByteArray()}): for
 * building a log or a table without a file system. Flush and sync do nothing but count syncs.
 * Not thread-safe.
 */
public final class ByteArrayWritableFile implements WritableFile {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int syncs;

    @Override
    public void append(byte[] source, int offset, int length) {
        out.write(source, offset, length);
    }

    @Override
    public void append(ByteBuf source) {
        byte[] copy = new byte[source.readableBytes()];
        source.getBytes(source.readerIndex(), copy);
        out.write(copy, 0, copy.length);
    }

    @Override
    public void flush() {}

    @Override
    public void sync() {
        syncs++;
    }

    @Override
    public long size() {
        return out.size();
    }

    @Override
    public void close() {}

    /** A copy of everything appended. */
    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /** How many times {@link #sync()} was called. */
    public int syncs() {
        return syncs;
    }
}
