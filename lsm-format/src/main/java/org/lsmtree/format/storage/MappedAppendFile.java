package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkPositionIndexes;
import static com.google.common.base.Preconditions.checkState;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WritableFile} that appends through a shared read-write memory mapping of the file: an
 * append is a copy into the mapping, with no system call. Bytes stored into a shared mapping are
 * in the kernel's page cache at once, so an appended byte survives a crash of this process
 * (SIGKILL included) without any {@link #flush()}, which does nothing; only a crash of the
 * machine can lose it before {@link #sync()}.
 *
 * <p><b>Layout.</b> The file grows in whole chunks of {@code chunkSize} bytes: mapping the chunk
 * {@code [chunkStart, chunkStart + chunkSize)} extends the file to its end (a sparse extension:
 * no disk block is allocated before a page is written), and appends fill it from the front.
 * Invariant: {@code chunkStart <= size <= chunkStart + chunkSize}; the bytes of the file past
 * {@code size} are zeros. {@link #close()} unmaps and truncates the file to {@code size}, so a
 * cleanly closed file is byte for byte what {@link NioWritableFile} writes; a file whose process
 * died keeps its zero-filled end, which readers of the format must accept (the log framing does:
 * see {@code docs/format/log.md}, "Unused preallocation").
 *
 * <p><b>Sync.</b> {@link #sync()} forces the mapping's unsynced range with
 * {@link MappedByteBuffer#force(int, int)} ({@code msync(MS_SYNC)} on Linux), which is what the
 * Java contract names for content stored through a mapping: {@link FileChannel#force} "may or may
 * not" write it (on Linux it does, since {@code fsync} writes every dirty page of the file however
 * it was dirtied, but other systems do not promise it). The file's size is metadata that only
 * {@code FileChannel.force(true)} is guaranteed to make durable, so after the file grew by a
 * chunk the next sync also forces the channel: one more call per chunk, not per sync. Chunks
 * filled since the last sync stay mapped until it has forced them.
 *
 * <p><b>Failure.</b> A page fault the kernel cannot serve (the disk is full when a page of the
 * sparse file is first written, or an I/O error) reaches the JVM as an {@link InternalError} in
 * the copy; it is turned into an {@link IOException} naming the file and offset.
 *
 * <p>Not thread-safe, like every {@link WritableFile}.
 */
final class MappedAppendFile implements WritableFile {
    private static final Logger LOG = LoggerFactory.getLogger(MappedAppendFile.class);

    private final Path file;
    private final FileChannel channel;
    private final int chunkSize;
    private final List<MappedByteBuffer> filledUnsynced = new ArrayList<>(); // full chunks sync has not forced
    private MappedByteBuffer chunk;
    private long chunkStart;
    private long size;
    private long syncedSize;
    private boolean sizeChanged;
    private boolean closed;

    /**
     * Appends to the empty file open as {@code channel} (for reading and writing), mapping its
     * first chunk now; takes ownership of the channel once this returns.
     */
    MappedAppendFile(Path file, FileChannel channel, int chunkSize) throws IOException {
        checkArgument(chunkSize > 0, "chunk size %s is not positive", chunkSize);
        this.file = checkNotNull(file, "file");
        this.channel = checkNotNull(channel, "channel");
        this.chunkSize = chunkSize;
        this.chunk = channel.map(FileChannel.MapMode.READ_WRITE, 0, chunkSize);
        this.sizeChanged = true;
    }

    @Override
    public void append(byte[] source, int offset, int length) throws IOException {
        checkNotNull(source, "source");
        checkPositionIndexes(offset, offset + length, source.length);
        checkOpen();
        int done = 0;
        while (done < length) {
            int count = Math.min(length - done, roomInChunk());
            try {
                chunk.put((int) (size - chunkStart), source, offset + done, count);
            } catch (InternalError e) {
                throw writeFailed(e);
            }
            size += count;
            done += count;
        }
    }

    @Override
    public void append(ByteBuf source) throws IOException {
        checkNotNull(source, "source");
        checkOpen();
        int index = source.readerIndex();
        int end = source.writerIndex();
        while (index < end) {
            int count = Math.min(end - index, roomInChunk());
            int at = (int) (size - chunkStart);
            chunk.limit(at + count).position(at);
            try {
                // getBytes with an explicit index leaves the source's reader and writer index alone.
                source.getBytes(index, chunk);
            } catch (InternalError e) {
                throw writeFailed(e);
            } finally {
                chunk.clear();
            }
            size += count;
            index += count;
        }
    }

    /** Nothing to do: appended bytes are in the page cache already. */
    @Override
    public void flush() {
        checkOpen();
    }

    @Override
    public void sync() throws IOException {
        checkOpen();
        try {
            for (MappedByteBuffer filled : filledUnsynced) {
                filled.force();
            }
            if (size > Math.max(syncedSize, chunkStart)) {
                int from = (int) (Math.max(syncedSize, chunkStart) - chunkStart);
                chunk.force(from, (int) (size - chunkStart) - from);
            }
            if (sizeChanged) {
                channel.force(true);
                sizeChanged = false;
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IOException("sync of " + file + " failed: " + e, e);
        }
        filledUnsynced.forEach(this::unmap);
        filledUnsynced.clear();
        syncedSize = size;
    }

    @Override
    public long size() {
        return size;
    }

    /**
     * Unmaps, then truncates the file to the bytes appended and closes it; no sync (the bytes are
     * in the page cache; the kernel writes them back in its own time). Closing twice is harmless.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        filledUnsynced.forEach(this::unmap);
        filledUnsynced.clear();
        unmap(chunk);
        try (channel) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new IOException("truncating " + file + " to its " + size + " bytes on close failed: " + e, e);
        }
    }

    /** Bytes left in the current chunk, mapping the next one first when it is full. */
    private int roomInChunk() throws IOException {
        long room = chunkStart + chunkSize - size;
        if (room > 0) {
            return (int) room;
        }
        long nextStart = chunkStart + chunkSize;
        MappedByteBuffer next;
        try {
            next = channel.map(FileChannel.MapMode.READ_WRITE, nextStart, chunkSize);
        } catch (IOException e) {
            throw new IOException("extending " + file + " to " + (nextStart + chunkSize) + " bytes failed: " + e, e);
        }
        if (syncedSize < nextStart) {
            filledUnsynced.add(chunk);
        } else {
            unmap(chunk);
        }
        chunk = next;
        chunkStart = nextStart;
        sizeChanged = true;
        return chunkSize;
    }

    private IOException writeFailed(InternalError e) {
        return new IOException("write to " + file + " at offset " + size + " failed: the mapped page could not"
                + " be written (a full disk or an I/O error): " + e.getMessage(), e);
    }

    private void unmap(MappedByteBuffer mapping) {
        try {
            PlatformDependent.freeDirectBuffer(mapping);
        } catch (Throwable e) {
            // The mapping stays until the collector finds it: address space, not correctness.
            LOG.debug("could not unmap a chunk of {} at once; the collector will", file, e);
        }
    }

    private void checkOpen() {
        checkState(!closed, "%s is closed", file);
    }

    @Override
    public String toString() {
        return "MappedAppendFile[" + file + ", size " + size + "]";
    }
}
