package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkPositionIndexes;
import static com.google.common.base.Preconditions.checkState;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
 * filled since the last sync stay mapped until it has forced them. {@link #syncPrefix} forces
 * the same way up to a length, from another thread; a later sync forces only what follows
 * ({@code syncedSize} is where every sync or prefix so far has reached).
 *
 * <p><b>Failure.</b> A page fault the kernel cannot serve (the disk is full when a page of the
 * sparse file is first written, or an I/O error) reaches the JVM as an {@link InternalError} in
 * the copy; it is turned into an {@link IOException} naming the file and offset. A failed force
 * is kept ({@code syncFailure}): every later sync throws it, since the kernel may have dropped
 * the pages it could not write.
 *
 * <p><b>Threads.</b> One thread appends, syncs and closes, as for every {@link WritableFile};
 * {@link #syncPrefix} may run on another thread at the same time. {@code lock} guards what both
 * touch: the retired chunks not yet synced ({@code filledUnsynced}), the current chunk and its
 * start (written by the appender under it, read by the syncer under it), {@code syncedSize},
 * {@code sizeChanged}, {@code closed} and {@code forcing}. A force runs without the lock, so an
 * append never waits for one: only one force runs at a time ({@code forcing}), and no chunk is
 * unmapped while it runs (a force of unmapped memory would kill the JVM); a sync or close waits
 * for the force in flight. The chunk's position and limit are never changed (another thread may
 * force it): positional writes go through {@code chunkView}, the appender's own duplicate.
 */
final class MappedAppendFile implements WritableFile {
    private static final Logger LOG = LoggerFactory.getLogger(MappedAppendFile.class);

    private final Path file;
    private final FileChannel channel;
    private final int chunkSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition forced = lock.newCondition();
    /** Full chunks not yet wholly synced, in file order, the last one ending at chunkStart. */
    private final List<MappedByteBuffer> filledUnsynced = new ArrayList<>();
    private MappedByteBuffer chunk;
    private ByteBuffer chunkView; // the appender's duplicate of chunk, for writes that need a position
    private long chunkStart;
    private long size; // the appender's own
    private long syncedSize;
    private boolean sizeChanged;
    private boolean forcing;
    private volatile boolean closed;
    private volatile IOException syncFailure;
    private long forcedBytes; // guarded by lock; for tests

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
        this.chunkView = chunk.duplicate();
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
            chunkView.limit(at + count).position(at);
            try {
                // getBytes with an explicit index leaves the source's reader and writer index alone.
                source.getBytes(index, chunkView);
            } catch (InternalError e) {
                throw writeFailed(e);
            } finally {
                chunkView.clear();
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
        force(size);
    }

    /** See {@link WritableFile#syncPrefix}: forces what of the first {@code length} bytes is not yet synced. */
    @Override
    public void syncPrefix(long length) throws IOException {
        checkArgument(length >= 0, "negative length %s", length);
        force(length);
    }

    /**
     * Forces the bytes in {@code [syncedSize, end)} and, if the file grew since, its size; does
     * nothing once closed. Runs on the appender (a sync) or on another thread (a prefix).
     */
    private void force(long end) throws IOException {
        List<MappedByteBuffer> filled;
        MappedByteBuffer current;
        long from;
        long currentStart;
        boolean grew;
        lock.lock();
        try {
            while (forcing) {
                forced.awaitUninterruptibly();
            }
            if (closed) {
                return;
            }
            throwIfFailed();
            if (end <= syncedSize && !sizeChanged) {
                return;
            }
            checkArgument(end <= chunkStart + chunkSize, "%s: prefix %s is past the mapped %s bytes", file, end,
                    chunkStart + chunkSize);
            forcing = true;
            filled = List.copyOf(filledUnsynced);
            current = chunk;
            currentStart = chunkStart;
            from = syncedSize;
            grew = sizeChanged;
            sizeChanged = false;
        } finally {
            lock.unlock();
        }
        boolean done = false;
        long bytes = 0;
        try {
            long start = currentStart - (long) filled.size() * chunkSize;
            for (MappedByteBuffer mapping : filled) {
                bytes += forceRange(mapping, start, from, end);
                start += chunkSize;
            }
            bytes += forceRange(current, currentStart, from, end);
            if (grew) {
                channel.force(true);
            }
            done = true;
        } catch (IOException | UncheckedIOException e) {
            IOException failure = new IOException("sync of the first " + end + " bytes of " + file + " failed: " + e, e);
            syncFailure = failure;
            throw failure;
        } finally {
            finishForce(done, end, grew, bytes);
        }
    }

    /** Forces the part of {@code [from, end)} in the chunk at {@code start}; returns its length. */
    private long forceRange(MappedByteBuffer mapping, long start, long from, long end) {
        long first = Math.max(from, start);
        long last = Math.min(end, start + chunkSize);
        if (first >= last) {
            return 0;
        }
        mapping.force((int) (first - start), (int) (last - first));
        return last - first;
    }

    /** Publishes a force's outcome and unmaps the retired chunks it finished. */
    private void finishForce(boolean done, long end, boolean grew, long bytes) {
        lock.lock();
        try {
            forcing = false;
            forcedBytes += bytes;
            if (done) {
                syncedSize = Math.max(syncedSize, end);
                long firstEnd = chunkStart - (long) (filledUnsynced.size() - 1) * chunkSize;
                while (!filledUnsynced.isEmpty() && firstEnd <= syncedSize) {
                    unmap(filledUnsynced.remove(0));
                    firstEnd += chunkSize;
                }
            } else if (grew) {
                sizeChanged = true;
            }
            forced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void throwIfFailed() throws IOException {
        IOException failure = syncFailure;
        if (failure != null) {
            throw new IOException(file + " failed an earlier sync; its unsynced bytes may be lost: " + failure,
                    failure);
        }
    }

    /** Bytes of the mapping forced so far, by syncs and prefixes. */
    long forcedBytes() {
        lock.lock();
        try {
            return forcedBytes;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            while (forcing) {
                forced.awaitUninterruptibly(); // a prefix's force in flight still reads the chunks
            }
            if (closed) {
                return;
            }
            closed = true;
            filledUnsynced.forEach(this::unmap);
            filledUnsynced.clear();
            unmap(chunk);
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            if (forcing || syncedSize < nextStart) {
                filledUnsynced.add(chunk); // a force in flight may read it; the next one that ends past it unmaps it
            } else {
                assert filledUnsynced.isEmpty() : "a synced chunk follows an unsynced one";
                unmap(chunk);
            }
            chunk = next;
            chunkStart = nextStart;
            sizeChanged = true;
        } finally {
            lock.unlock();
        }
        chunkView = next.duplicate();
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
