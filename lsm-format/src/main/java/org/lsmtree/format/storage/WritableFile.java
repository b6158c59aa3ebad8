package org.lsmtree.format.storage;

import io.netty.buffer.ByteBuf;
import java.io.Closeable;
import java.io.IOException;

/**
 * A file open for appending. Appended bytes may sit in a buffer until {@link #flush()} hands them
 * to the operating system (they then survive a crash of this process) and are durable only after
 * {@link #sync()} (they then survive a crash of the machine).
 *
 * <p>Not thread-safe: one writer at a time.
 */
public interface WritableFile extends Closeable {

    /** Appends {@code length} bytes of {@code source} from {@code offset}. */
    void append(byte[] source, int offset, int length) throws IOException;

    /** Appends all of {@code source}. */
    default void append(byte[] source) throws IOException {
        append(source, 0, source.length);
    }

    /**
     * Appends the readable bytes of {@code source} without changing its indexes. The caller keeps
     * ownership of {@code source} and releases it.
     */
    void append(ByteBuf source) throws IOException;

    /** Hands every appended byte to the operating system. */
    void flush() throws IOException;

    /** Flushes, then makes every appended byte durable. */
    void sync() throws IOException;

    /** The file's size counting every appended byte, flushed or not. */
    long size();

    /** Flushes and closes; no sync. Closing twice is harmless. */
    @Override
    void close() throws IOException;
}
