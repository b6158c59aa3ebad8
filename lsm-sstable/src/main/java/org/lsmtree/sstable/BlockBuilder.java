package org.lsmtree.sstable;

import com.google.common.base.Preconditions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.lsmtree.format.Varint;
import org.lsmtree.format.iterator.KeyCopy;

/**
 * Builds the contents of one block: entries with prefix-compressed keys, then the restart array.
 *
 * <pre>
 * entry   := shared:varint32  unshared:varint32  valueLength:varint32  keyDelta:byte[unshared]  value
 * block   := entry*  restart:fixed32*  restartCount:fixed32
 * </pre>
 *
 * Every {@code restartInterval}-th entry is a restart point: it stores its whole key
 * ({@code shared == 0}) and its offset goes into the restart array, so a reader can binary-search
 * the restarts and decode forward from one. An empty block still has one restart (offset 0).
 *
 * <p>Invariant: keys are added in strictly increasing order (the caller, {@link TableBuilder},
 * checks it). Owns a heap {@link ByteBuf} that {@link #close()} releases. Not thread-safe.
 */
final class BlockBuilder implements AutoCloseable {
    private final int restartInterval;
    private final ByteBuf buffer = Unpooled.buffer(4096);
    private int[] restarts = new int[16];
    private int restartCount;
    private int sinceRestart;
    /** The previous key of this block, for prefix compression; a reused copy, never the caller's array. */
    private final KeyCopy lastKey = new KeyCopy(64);
    private int entries;
    private boolean finished;

    BlockBuilder(int restartInterval) {
        Preconditions.checkArgument(restartInterval >= 1, "restart interval %s < 1", restartInterval);
        this.restartInterval = restartInterval;
        reset();
    }

    /** Empties the builder for the next block. */
    void reset() {
        buffer.clear();
        restartCount = 1;
        restarts[0] = 0;
        sinceRestart = 0;
        lastKey.clear();
        entries = 0;
        finished = false;
    }

    /** Appends an entry; {@code key} must sort after the previous key. Arrays are not kept. */
    void add(byte[] key, byte[] value) {
        add(key, 0, key.length, value, 0, value.length);
    }

    /**
     * Appends the entry with key {@code key[keyOffset, +keyLength)} and value
     * {@code value[valueOffset, +valueLength)}: the bytes are copied into the block here and
     * nothing keeps the arrays, so they may be views that change once this returns.
     */
    void add(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength) {
        Preconditions.checkState(!finished, "block already finished");
        int shared = 0;
        if (sinceRestart < restartInterval) {
            int limit = Math.min(lastKey.length(), keyLength);
            int mismatch = Arrays.mismatch(lastKey.array(), 0, limit, key, keyOffset, keyOffset + limit);
            shared = mismatch < 0 ? limit : mismatch;
        } else {
            if (restartCount == restarts.length) {
                restarts = Arrays.copyOf(restarts, restarts.length * 2);
            }
            restarts[restartCount++] = buffer.writerIndex();
            sinceRestart = 0;
        }
        Varint.writeVarint32(buffer, shared);
        Varint.writeVarint32(buffer, keyLength - shared);
        Varint.writeVarint32(buffer, valueLength);
        buffer.writeBytes(key, keyOffset + shared, keyLength - shared);
        buffer.writeBytes(value, valueOffset, valueLength);
        lastKey.set(key, keyOffset, keyLength);
        sinceRestart++;
        entries++;
    }

    /** The block's size once finished, as it stands. */
    int sizeEstimate() {
        return buffer.writerIndex() + restartCount * 4 + 4;
    }

    boolean isEmpty() {
        return entries == 0;
    }

    int entries() {
        return entries;
    }

    /**
     * Appends the restart array and returns the block's contents. The returned buffer belongs to
     * this builder and stays valid until {@link #reset()} or {@link #close()}; do not release it.
     */
    ByteBuf finish() {
        Preconditions.checkState(!finished, "block already finished");
        for (int i = 0; i < restartCount; i++) {
            buffer.writeIntLE(restarts[i]);
        }
        buffer.writeIntLE(restartCount);
        finished = true;
        return buffer;
    }

    @Override
    public void close() {
        if (buffer.refCnt() > 0) {
            buffer.release();
        }
    }
}
