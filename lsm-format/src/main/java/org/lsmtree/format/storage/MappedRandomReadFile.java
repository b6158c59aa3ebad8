package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkPositionIndexes;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RandomReadFile} over a read-only memory mapping of the whole file: a read is a copy
 * out of the mapping, with no system call and no intermediate buffer (a positional read of a
 * {@code FileChannel} into a heap array goes through a temporary direct buffer). The file's
 * channel is closed once mapped, so an open table holds no file descriptor.
 *
 * <p><b>Closing is safe with reads in flight.</b> Every read holds the read side of a
 * {@link StampedLock} while it touches the mapping; {@link #close()} takes the write side, so it
 * waits for reads under way, marks the file closed (later reads fail with an {@link IOException}
 * naming it), and only then unmaps (through Netty's cleaner, so that the memory and a deleted
 * file's disk space go back at once rather than when the collector finds the buffer; where the
 * cleaner is not available, the collector unmaps). No reference to the mapping ever leaves this
 * class, so nothing can touch unmapped memory.
 *
 * <p>A mapping shares the file's pages: if the file shrank under it, touching the lost pages
 * would fault; the JVM reports that as an {@link InternalError}, turned here into an
 * {@link IOException}. Table files never change once written.
 *
 * <p>Thread-safe: reads run concurrently (read locks do not exclude each other).
 */
final class MappedRandomReadFile implements RandomReadFile {
    private static final Logger LOG = LoggerFactory.getLogger(MappedRandomReadFile.class);

    private final Path file;
    private final MappedByteBuffer mapping;
    private final int size;
    private final StampedLock lock = new StampedLock();
    private boolean closed;

    /** Reads from {@code mapping}, the whole of {@code file}; this object unmaps it on close. */
    MappedRandomReadFile(Path file, MappedByteBuffer mapping) {
        this.file = file;
        this.mapping = mapping;
        this.size = mapping.capacity();
    }

    @Override
    public int read(long position, byte[] target, int offset, int length) throws IOException {
        checkNotNull(target, "target");
        checkArgument(position >= 0, "negative position %s in %s", position, file);
        checkPositionIndexes(offset, offset + length, target.length);
        if (position >= size) {
            return 0;
        }
        int count = (int) Math.min(length, size - position);
        long stamp = lock.readLock();
        try {
            if (closed) {
                throw new IOException("read of " + file + " at " + position + " after it was closed");
            }
            mapping.get((int) position, target, offset, count);
        } catch (InternalError e) {
            throw new IOException("read of " + file + " at " + position + " failed: the mapped file changed under"
                    + " the reader (" + e.getMessage() + ")", e);
        } finally {
            lock.unlockRead(stamp);
        }
        return count;
    }

    @Override
    public long size() {
        return size;
    }

    /** True: every read is a copy out of the mapping. */
    @Override
    public boolean isMapped() {
        return true;
    }

    @Override
    public void close() {
        long stamp = lock.writeLock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                PlatformDependent.freeDirectBuffer(mapping);
            } catch (Throwable e) {
                // The mapping stays until the collector finds it: memory, not correctness.
                LOG.debug("could not unmap {} at once; the collector will", file, e);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public String toString() {
        return "MappedRandomReadFile[" + file + ", size " + size + "]";
    }
}
