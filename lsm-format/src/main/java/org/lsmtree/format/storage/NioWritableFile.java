package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkPositionIndexes;
import static com.google.common.base.Preconditions.checkState;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A {@link WritableFile} over a {@link FileChannel} with a user-space buffer of
 * {@link #BUFFER_SIZE} bytes.
 *
 * <p>Layout: {@code buffer} holds the appended bytes not yet written to the channel, from index 0
 * to its position. Invariant: {@code size == flushedSize + buffer.position()}, where
 * {@code flushedSize} is how many bytes the channel holds. Appends larger than the buffer go
 * straight to the channel after the buffer is drained, so order is kept.
 *
 * <p>Not thread-safe, like every {@link WritableFile}, but for {@link #syncPrefix}: it forces the
 * channel, which {@link FileChannel} allows while another thread writes to it, and reads only the
 * volatile {@code closed} and {@code syncFailure}.
 */
final class NioWritableFile implements WritableFile {

    /** Size of the user-space write buffer. */
    static final int BUFFER_SIZE = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private long flushedSize;
    private volatile boolean closed;
    private volatile IOException syncFailure;

    NioWritableFile(Path file, FileChannel channel, long initialSize) {
        this.file = file;
        this.channel = channel;
        this.flushedSize = initialSize;
    }

    @Override
    public void append(byte[] source, int offset, int length) throws IOException {
        checkNotNull(source, "source");
        checkPositionIndexes(offset, offset + length, source.length);
        checkOpen();
        if (length <= buffer.remaining()) {
            buffer.put(source, offset, length);
            return;
        }
        drainBuffer();
        if (length < buffer.capacity()) {
            buffer.put(source, offset, length);
        } else {
            writeFully(ByteBuffer.wrap(source, offset, length));
        }
    }

    @Override
    public void append(ByteBuf source) throws IOException {
        checkNotNull(source, "source");
        checkOpen();
        int index = source.readerIndex();
        int end = source.writerIndex();
        while (index < end) {
            if (!buffer.hasRemaining()) {
                drainBuffer();
            }
            int chunk = Math.min(end - index, buffer.remaining());
            // getBytes with an explicit index leaves the source's reader and writer index alone.
            source.getBytes(index, buffer.array(), buffer.arrayOffset() + buffer.position(), chunk);
            buffer.position(buffer.position() + chunk);
            index += chunk;
        }
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        drainBuffer();
    }

    @Override
    public void sync() throws IOException {
        flush();
        force("sync of " + file);
    }

    /**
     * See {@link WritableFile#syncPrefix}: forces the whole channel (every flushed byte, the
     * prefix among them) unless the file is closed; a close that races it makes it do nothing.
     */
    @Override
    public void syncPrefix(long length) throws IOException {
        if (closed) {
            return;
        }
        try {
            force("sync of the first " + length + " bytes of " + file);
        } catch (IOException e) {
            if (closed && e.getCause() instanceof ClosedChannelException) {
                return;
            }
            throw e;
        }
    }

    private void force(String what) throws IOException {
        IOException failure = syncFailure;
        if (failure != null) {
            throw new IOException(file + " failed an earlier sync; its unsynced bytes may be lost: " + failure,
                    failure);
        }
        try {
            channel.force(true);
        } catch (IOException e) {
            IOException failed = new IOException(what + " failed: " + e, e);
            if (!(e instanceof ClosedChannelException)) {
                syncFailure = failed;
            }
            throw failed;
        }
    }

    @Override
    public long size() {
        return flushedSize + buffer.position();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            drainBuffer();
        }
    }

    private void drainBuffer() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        try {
            writeFully(buffer);
        } finally {
            // On failure the unwritten bytes are dropped: the channel's state is unknown anyway.
            buffer.clear();
        }
    }

    private void writeFully(ByteBuffer source) throws IOException {
        try {
            while (source.hasRemaining()) {
                flushedSize += channel.write(source);
            }
        } catch (IOException e) {
            throw new IOException("write to " + file + " failed: " + e, e);
        }
    }

    private void checkOpen() {
        checkState(!closed, "%s is closed", file);
    }

    @Override
    public String toString() {
        return "NioWritableFile[" + file + ", size " + size() + "]";
    }
}
