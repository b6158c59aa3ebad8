package org.lsmtree.format.storage;

import io.netty.buffer.ByteBuf;
import java.io.Closeable;
import java.io.IOException;

/**
 * A file open for appending. Appended bytes may sit in a buffer until {@link #flush()} hands them
 * to the operating system (they then survive a crash of this process) and are durable only after
 * {@link #sync()} (they then survive a crash of the machine).
 *
 * <p>Not thread-safe: one writer at a time, except for {@link #syncPrefix}, which another thread
 * may call while the writer appends.
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

    /**
     * Makes the first {@code length} bytes durable, as {@link #sync()} does for all of them: the
     * background sync of a growing log (so that its later {@code sync()} has only the rest to do).
     * Unlike every other method, this one may be called from another thread while the writing
     * thread appends, flushes, syncs or closes; {@code length} must not exceed what the writer had
     * appended and flushed before this call (handed over with a happens-before edge, as an
     * executor gives), else the bytes past the flushed ones are not made durable.
     *
     * <p>A {@link #sync()} that runs at the same time still makes every byte durable when it
     * returns. After {@link #close()} this does nothing: whoever closes a log has synced it, or
     * does not need it durable. A failure is kept: every later {@code sync()} and {@code
     * syncPrefix} of this file throws it too, since an operating system may drop the pages it
     * could not write (a later sync could then succeed without them).
     *
     * <p>The default does nothing, a correct fallback for a file that cannot sync from another
     * thread: its bytes become durable at the next {@code sync()}.
     */
    default void syncPrefix(long length) throws IOException {}

    /** The file's size counting every appended byte, flushed or not. */
    long size();

    /** Flushes and closes; no sync. Closing twice is harmless. */
    @Override
    void close() throws IOException;
}
