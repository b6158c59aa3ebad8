package org.lsmtree.sstable;

import java.util.zip.CRC32C;

/**
 * One reader's buffer for data blocks served from a memory-mapped table ({@link MappedBlocks}):
 * an array the stored bytes and trailer of one block are copied into, grown when a larger block
 * comes and then kept, the {@link Block} that parses it ({@link Block#reusable()}), and the
 * checksum engine, so that serving a block allocates nothing once the buffer is large enough.
 * Each {@link TableIterator} has one, and each thread one for its lookups.
 *
 * <p>What {@link #block()} holds is valid until the owner loads the next block into the buffer.
 * Not thread-safe: one owner, one thread at a time.
 */
final class BlockBuffer {
    /** A buffer larger than this is dropped by {@link #trim()} rather than kept by an idle thread. */
    static final int KEPT_BYTES = 64 << 10;

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

    /** Forgets a buffer grown past {@link #KEPT_BYTES} (a rare huge block), so that it is not kept for ever. */
    void trim() {
        if (bytes.length > KEPT_BYTES) {
            bytes = new byte[0];
            block.unload();
        }
    }
}
