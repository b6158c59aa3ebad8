package org.lsmtree.testing;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkPositionIndexes;
import static com.google.common.base.Preconditions.checkState;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.storage.WritableFile;

/**
 * A {@link WritableFile} of a {@link CrashSimulatingStorage}. Appended bytes wait in
 * {@code unflushed} (the process's buffer, lost in every crash); {@code flush} hands them to the
 * jimfs file behind {@code delegate} and to the inode's shadow copy; {@code sync} also marks them
 * synced in the inode.
 *
 * <p>Invariant: {@code size() == inode.flushedLength() + unflushed.size()} while no other handle
 * appends to the same inode. Every method synchronizes on the storage, which numbers the
 * operations. Not for use by several threads at once, like any {@link WritableFile}, but for
 * {@link #syncPrefix}.
 */
final class CrashWritableFile implements WritableFile {

    private final CrashSimulatingStorage storage;
    private final Path file;
    private final WritableFile delegate;
    private final Inode inode;
    private final ByteArrayOutputStream unflushed = new ByteArrayOutputStream();
    private long size;
    private boolean closed;

    CrashWritableFile(
            CrashSimulatingStorage storage, Path file, WritableFile delegate, Inode inode) {
        this.storage = storage;
        this.file = file;
        this.delegate = delegate;
        this.inode = inode;
        this.size = delegate.size();
    }

    @Override
    public void append(byte[] source, int offset, int length) throws IOException {
        checkNotNull(source, "source");
        checkPositionIndexes(offset, offset + length, source.length);
        synchronized (storage) {
            checkOpen();
            storage.beginOperation(OperationKind.APPEND, file);
            unflushed.write(source, offset, length);
            size += length;
            storage.operationDone();
        }
    }

    @Override
    public void append(ByteBuf source) throws IOException {
        checkNotNull(source, "source");
        byte[] bytes = new byte[source.readableBytes()];
        source.getBytes(source.readerIndex(), bytes);
        append(bytes, 0, bytes.length);
    }

    @Override
    public void flush() throws IOException {
        synchronized (storage) {
            checkOpen();
            storage.beginOperation(OperationKind.FLUSH, file);
            handOver();
            storage.operationDone();
        }
    }

    @Override
    public void sync() throws IOException {
        synchronized (storage) {
            checkOpen();
            storage.beginOperation(OperationKind.SYNC, file);
            handOver();
            delegate.sync();
            inode.sync();
            storage.operationDone();
        }
    }

    /**
     * Marks the flushed ones of the first {@code length} bytes synced (a counted SYNC_PREFIX, a
     * crash point); does nothing once closed. May run beside the writer's calls: all synchronize
     * on the storage.
     */
    @Override
    public void syncPrefix(long length) throws IOException {
        synchronized (storage) {
            if (closed) {
                return;
            }
            storage.beginOperation(OperationKind.SYNC_PREFIX, file);
            delegate.syncPrefix(length);
            inode.syncPrefix(length);
            storage.operationDone();
        }
    }

    @Override
    public long size() {
        synchronized (storage) {
            return size;
        }
    }

    /** Flushes buffered bytes (a counted FLUSH operation, so it can crash), then closes. */
    @Override
    public void close() throws IOException {
        synchronized (storage) {
            if (closed) {
                return;
            }
            closed = true;
            try (delegate) {
                if (unflushed.size() > 0) {
                    storage.beginOperation(OperationKind.FLUSH, file);
                    handOver();
                    storage.operationDone();
                }
            }
        }
    }

    private void handOver() throws IOException {
        byte[] bytes = unflushed.toByteArray();
        unflushed.reset();
        delegate.append(bytes, 0, bytes.length);
        delegate.flush();
        inode.appendFlushed(bytes, 0, bytes.length);
    }

    private void checkOpen() {
        checkState(!closed, "%s is closed", file);
    }

    @Override
    public String toString() {
        return "CrashWritableFile[" + file + ", " + inode + "]";
    }
}
