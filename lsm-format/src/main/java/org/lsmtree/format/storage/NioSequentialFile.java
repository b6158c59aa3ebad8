package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkPositionIndexes;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A {@link SequentialFile} over a {@link FileChannel} read with relative reads. Invariant:
 * {@code position} equals the channel's position. Not thread-safe.
 */
final class NioSequentialFile implements SequentialFile {

    private final Path file;
    private final FileChannel channel;
    private long position;
    private boolean closed;

    NioSequentialFile(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        checkNotNull(target, "target");
        checkPositionIndexes(offset, offset + length, target.length);
        checkState(!closed, "%s is closed", file);
        if (length == 0) {
            return 0;
        }
        ByteBuffer destination = ByteBuffer.wrap(target, offset, length);
        try {
            while (destination.hasRemaining()) {
                if (channel.read(destination) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new IOException("read of " + file + " at " + position + " failed: " + e, e);
        }
        int read = destination.position() - offset;
        position += read;
        assert position == channel.position() : "position out of step with the channel";
        return read == 0 ? -1 : read;
    }

    @Override
    public long skip(long count) throws IOException {
        checkArgument(count >= 0, "negative skip %s in %s", count, file);
        checkState(!closed, "%s is closed", file);
        long skipped = Math.max(0, Math.min(count, channel.size() - position));
        position += skipped;
        channel.position(position);
        return skipped;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    @Override
    public String toString() {
        return "NioSequentialFile[" + file + " at " + position + "]";
    }
}
