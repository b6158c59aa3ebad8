package org.lsmtree.sstable;

import java.util.ArrayDeque;
import java.util.zip.CRC32C;

/**
 * One reader's buffer for data blocks served from a memory-mapped table ({@link MappedBlocks}):
 * an array the stored bytes and trailer of one block are copied into, grown when a larger block
 * comes and then kept, the {@link Block} that parses it ({@link Block#reusable()}), and the
 * checksum engine, so that serving a block allocates nothing once the buffer is large enough.
 * Each thread has one for its lookups; a {@link TableIterator} borrows one ({@link #borrow}) when
 * it first reads a mapped block and gives it back when closed ({@link #giveBack}), so that
 * seekrandom's iterator per seek, and a level iterator's table iterator per file, reuse buffers
 * rather than allocate one each.
 *
 * <p>What {@link #block()} holds is valid until the owner loads the next block into the buffer.
 * Not thread-safe: one owner, one thread at a time.
 */
final class BlockBuffer {
    /** A buffer larger than this is dropped by {@link #trim()} rather than kept by an idle thread. */
    static final int KEPT_BYTES = 64 << 10;
    /**
     * Buffers each thread keeps for iterators: enough for one store's merging iterator (a table
     * iterator per level-0 file and per deeper level) at a time, at most 16 times
     * {@link #KEPT_BYTES} per thread (16 times the block size, in practice).
     */
    private static final int POOLED_PER_THREAD = 16;
    private static final ThreadLocal<ArrayDeque<BlockBuffer>> POOL = ThreadLocal.withInitial(ArrayDeque::new);

    private byte[] bytes = new byte[0];
    private final Block block = Block.reusable();
    final CRC32C crc = new CRC32C();

    /** The buffer, at least {@code length} bytes long (its contents are lost when it grows). */
    byte[] ensure(int length) {
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, Math.min(bytes.length * 2, Integer.MAX_VALUE - 8))];
        }
        return bytes;
    }

    /** The buffer's block (what the last load put there). */
    Block block() {
        return block;
    }

    /** A buffer from the calling thread's pool, or a new one; {@link #giveBack} it when done. */
    static BlockBuffer borrow() {
        BlockBuffer pooled = POOL.get().pollFirst();
        return pooled != null ? pooled : new BlockBuffer();
    }

    /**
     * Gives back a buffer whose owner no longer reads from it (nor from its block), to the calling
     * thread's pool when that has room and the buffer is not grown past {@link #KEPT_BYTES}.
     */
    void giveBack() {
        trim();
        ArrayDeque<BlockBuffer> pool = POOL.get();
        if (bytes.length > 0 && pool.size() < POOLED_PER_THREAD) {
            pool.addFirst(this);
        }
    }

    /** Forgets a buffer grown past {@link #KEPT_BYTES} (a rare huge block), so that it is not kept for ever. */
    void trim() {
        if (bytes.length > KEPT_BYTES) {
            bytes = new byte[0];
            block.unload();
        }
    }
}
