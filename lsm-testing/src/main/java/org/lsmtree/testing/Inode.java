package org.lsmtree.testing;

import static com.google.common.base.Preconditions.checkState;

import java.util.Arrays;

/**
 * One file of a {@link CrashSimulatingStorage}, independent of its names (like an inode: a rename
 * keeps it, a delete only unlinks it). Holds a shadow copy of the file's flushed bytes so that a
 * crash state can be built even after the file was renamed or deleted.
 *
 * <p>Invariant: {@code 0 <= syncedLength <= flushedLength <= data.length}. Bytes only grow: every
 * truncation in the storage is a new inode. Guarded by the owning storage's monitor.
 */
final class Inode {

    final long id;
    private byte[] data;
    private int flushedLength;
    private int syncedLength;

    Inode(long id) {
        this.id = id;
        this.data = new byte[32];
    }

    /** An inode whose {@code content} is flushed and synced (a file of a crash state). */
    static Inode durable(long id, byte[] content) {
        Inode inode = new Inode(id);
        inode.appendFlushed(content, 0, content.length);
        inode.sync();
        return inode;
    }

    void appendFlushed(byte[] source, int offset, int length) {
        int needed = flushedLength + length;
        checkState(needed >= 0, "file %s outgrew 2 GiB", id);
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, 2 * data.length));
        }
        System.arraycopy(source, offset, data, flushedLength, length);
        flushedLength = needed;
    }

    void sync() {
        syncedLength = flushedLength;
    }

    /** Marks the first {@code length} bytes synced, those flushed of them; never lowers the synced length. */
    void syncPrefix(long length) {
        syncedLength = (int) Math.max(syncedLength, Math.min(length, flushedLength));
    }

    int flushedLength() {
        return flushedLength;
    }

    int syncedLength() {
        return syncedLength;
    }

    /** The first {@code length} flushed bytes. */
    byte[] prefix(int length) {
        checkState(length >= 0 && length <= flushedLength, "prefix %s of %s", length, this);
        return Arrays.copyOf(data, length);
    }

    @Override
    public String toString() {
        return "inode " + id + " (flushed " + flushedLength + ", synced " + syncedLength + ")";
    }
}
