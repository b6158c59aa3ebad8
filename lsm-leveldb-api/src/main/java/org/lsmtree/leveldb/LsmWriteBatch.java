package org.lsmtree.leveldb;

import static com.google.common.base.Preconditions.checkState;

import org.iq80.leveldb.WriteBatch;

/**
 * A LevelDB-API {@link WriteBatch} over the engine's: puts and deletes applied together by
 * {@code DB.write}, all or nothing, in the order added. A delete is a tombstone, so an empty value
 * is a value. {@link #close()} discards the entries; a closed batch refuses more and cannot be
 * written. Not thread-safe, like LevelDB's.
 */
final class LsmWriteBatch implements WriteBatch {
    private final org.lsmtree.wal.WriteBatch batch = new org.lsmtree.wal.WriteBatch();
    private boolean closed;

    @Override
    public WriteBatch put(byte[] key, byte[] value) {
        checkOpen();
        batch.put(key, value);
        return this;
    }

    @Override
    public WriteBatch delete(byte[] key) {
        checkOpen();
        batch.delete(key);
        return this;
    }

    org.lsmtree.wal.WriteBatch engineBatch() {
        checkOpen();
        return batch;
    }

    @Override
    public void close() {
        closed = true;
        batch.clear();
    }

    private void checkOpen() {
        checkState(!closed, "write batch is closed");
    }

    @Override
    public String toString() {
        return closed ? "WriteBatch(closed)" : batch.toString();
    }
}
