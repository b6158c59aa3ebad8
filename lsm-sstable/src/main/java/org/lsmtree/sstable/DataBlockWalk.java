package org.lsmtree.sstable;

import java.io.IOException;
import java.util.Comparator;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.VerificationReport;

/**
 * The part of {@link SstableVerifier} that walks the index and every data block it points to,
 * reporting each problem at the offset of the block it is in and going on with the next block.
 * Used once, by one thread.
 */
final class DataBlockWalk {
    private final TableOptions options;
    private final Comparator<byte[]> comparator;
    private final BlockReader blocks;
    private final Block index;
    private final FilterBlockReader filter;
    private final VerificationReport.Builder report;
    private byte[] lastKey;
    private byte[] lastSeparator;
    private long expectedOffset;

    DataBlockWalk(TableOptions options, BlockReader blocks, Block index, FilterBlockReader filter,
            VerificationReport.Builder report) {
        this.options = options;
        this.comparator = options.comparator();
        this.blocks = blocks;
        this.index = index;
        this.filter = filter;
        this.report = report;
    }

    void run() throws IOException {
        report.count("data blocks", 0).count("entries", 0).count("snappy blocks", 0);
        BlockIterator entries = index.iterator(comparator);
        try {
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                byte[] separator = entries.key();
                if (lastSeparator != null && comparator.compare(lastSeparator, separator) >= 0) {
                    report.problem(index.offset(), "KEY_ORDER", "index keys out of order");
                }
                byte[] previousSeparator = lastSeparator;
                lastSeparator = separator;
                BlockHandle handle;
                try {
                    handle = TableReader.handleIn(index, entries.value(), "index entry");
                    blocks.checkHandle(handle, "data block");
                } catch (CorruptionException e) {
                    report.problem(index.offset(), "BAD_HANDLE", e.reason());
                    continue;
                }
                checkBlock(handle, previousSeparator, separator);
            }
        } catch (CorruptionException e) {
            report.problem(e.offset(), "BAD_BLOCK", e.reason());
        }
    }

    private void checkBlock(BlockHandle handle, byte[] previousSeparator, byte[] separator) throws IOException {
        if (handle.offset() != expectedOffset) {
            report.problem(handle.offset(), "BLOCK_LAYOUT", "data block at " + handle.offset()
                    + " does not start where the previous one ends (" + expectedOffset + ")");
        }
        expectedOffset = handle.end();
        report.add("data blocks", 1);
        try {
            if (blocks.compressionType(handle) == SstableFormat.COMPRESSION_SNAPPY) {
                report.add("snappy blocks", 1);
            }
            Block block = blocks.read(handle, true, "data block");
            BlockIterator entries = block.iterator(comparator);
            boolean first = true;
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                byte[] key = entries.keyView();
                if (lastKey != null && comparator.compare(lastKey, key) >= 0) {
                    report.problem(handle.offset(), "KEY_ORDER", (first ? "first key of the block" : "a key")
                            + " does not sort after the key before it");
                }
                if (first && previousSeparator != null && comparator.compare(previousSeparator, key) >= 0) {
                    report.problem(handle.offset(), "INDEX_MISMATCH",
                            "the previous block's index key does not sort before this block's first key");
                }
                if (filter != null && !filter.mayContain(handle.offset(), options.filterKey().of(key))) {
                    report.problem(handle.offset(), "FILTER_MISS", "a key of the block fails its filter");
                }
                lastKey = entries.key();
                report.add("entries", 1);
                first = false;
            }
            if (lastKey != null && comparator.compare(lastKey, separator) > 0) {
                report.problem(handle.offset(), "INDEX_MISMATCH", "index key sorts before the block's last key");
            }
        } catch (CorruptionException e) {
            report.problem(handle.offset(), "BAD_BLOCK", e.reason());
        }
    }
}
