package org.lsmtree.sstable;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serves the data blocks of a memory-mapped table straight from the file, as LevelDB serves the
 * blocks of a table it reads through mmap (and does not put them in its block cache): a block is
 * copied out of the mapping into the caller's {@link BlockBuffer}, a copy that costs less than a
 * block cache's bookkeeping and allocates nothing, so the cache stays free for tables that are
 * not mapped.
 *
 * <p>The guarantees of {@link TableReader} hold. "A block's checksum is verified once when read
 * from the file": here every use of a block is a read from the file, and with verification on its
 * checksum is verified on every one ({@code java.util.zip.CRC32C} is intrinsic). "Every damage
 * found is a {@link org.lsmtree.format.CorruptionException} naming file and offset": a block
 * damaged on disk after the table was opened fails its checksum on the next read, located at the
 * block's offset. And no read decides from bytes that {@link DataBlockCheck} did not pass: the
 * structural walk runs the first time a block is read, and again only when the checksum of the
 * bytes read differs from that of the bytes walked ({@link CheckedBlocks}), so a block is walked
 * once per open table rather than once per read. The checksum is computed on every read for
 * that, verification on or off; verification decides only whether a mismatch with the trailer is
 * an error (off, damaged bytes are walked again, and malformed ones fail the walk). Tables whose
 * index is not one restart per entry (none that LevelDB, iq80 or we write) have no ordinals to
 * remember by and walk every block on every read.
 *
 * <p>A compressed block is not served here ({@link #serve} returns null): decompressing costs
 * more than a cache lookup, so the reader decompresses it once and caches it, as LevelDB does.
 *
 * <p>Thread-safe: the buffers are the callers', the record of checked blocks is atomic.
 */
final class MappedBlocks {
    private final BlockReader blocks;
    private final TableOptions options;
    private final String name;
    private final BlockCache cache;
    /** Blocks walked, by index ordinal; null when the index gives no ordinals. */
    private final CheckedBlocks checked;
    private final LongAdder walks = new LongAdder();

    /** Serves blocks of the table {@code name} that {@code blocks} reads; reports each read to {@code cache}. */
    MappedBlocks(BlockReader blocks, TableOptions options, String name, BlockCache cache, CheckedBlocks checked) {
        this.blocks = blocks;
        this.options = options;
        this.name = name;
        this.cache = cache;
        this.checked = checked;
    }

    /**
     * The data block of the handle {@code indexEntry} (an iterator over the index block, valid)
     * decoded last, loaded into {@code buffer}'s block and checked; null when the block is
     * compressed (nothing else is read then). What it returns is valid until the next load into
     * {@code buffer}.
     */
    Block serve(BlockIterator indexEntry, boolean verifyChecksum, BlockBuffer buffer) throws IOException {
        long offset = indexEntry.handleOffset();
        long stored = indexEntry.handleSize();
        int type = blocks.readStored(offset, stored, buffer, "data block");
        if (type != SstableFormat.COMPRESSION_NONE) {
            return null;
        }
        int size = (int) stored;
        int crc = blocks.checksumStored(offset, size, buffer, verifyChecksum, "data block");
        Block block = buffer.block();
        block.load(buffer.ensure(size), size, name, offset, verifyChecksum);
        cache.recordMappedRead(size);
        int ordinal = checked == null ? -1 : indexEntry.restartIndex();
        if (ordinal < 0 || !checked.checked(ordinal, crc)) {
            walks.increment();
            DataBlockCheck.check(block, options, indexEntry.previousKey(), indexEntry.key(), name);
            if (ordinal >= 0) {
                checked.markChecked(ordinal, crc);
            }
        }
        return block;
    }

    /** The bytes the record of checked blocks takes. */
    long memoryBytes() {
        return checked == null ? 0 : checked.memoryBytes();
    }

    /** How many times a block was walked ({@link DataBlockCheck}) since the table opened. */
    long walks() {
        return walks.sum();
    }
}
