package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkPositionIndexes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A {@link RandomReadFile} over a {@link FileChannel} read only with positional reads, which do
 * not touch the channel's position: safe for many concurrent readers.
 */
final class NioRandomReadFile implements RandomReadFile {

    private final Path file;
    private final FileChannel channel;
    private final long size;

    NioRandomReadFile(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    @Override
    public int read(long position, byte[] target, int offset, int length) throws IOException {
        checkNotNull(target, "target");
        checkArgument(position >= 0, "negative position %s in %s", position, file);
        checkPositionIndexes(offset, offset + length, target.length);
        ByteBuffer destination = ByteBuffer.wrap(target, offset, length);
        try {
            while (destination.hasRemaining()) {
                int read = channel.read(destination, position + destination.position() - offset);
                if (read < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new IOException("read of " + file + " at " + position + " failed: " + e, e);
        }
        return destination.position() - offset;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "NioRandomReadFile[" + file + ", size " + size + "]";
    }
}
