package org.lsmtree.sstable;

import java.io.IOException;
import java.util.Comparator;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.VerificationReport;

/**
 * The part of {@link SstableVerifier} that walks the index and every data block it points to,
 * reporting each problem at the offset of the block it is in and going on with the next block.
 * Index entries pass {@link IndexCheck} and blocks {@link DataBlockCheck}, as in a reader; on top
 * of those, blocks must lie end to end from offset 0, keys increase across blocks, and every key
 * passes its block's filter. Used once, by one thread.
 */
final class DataBlockWalk {
    private final TableOptions options;
    private final Comparator<byte[]> comparator;
    private final BlockReader blocks;
    private final Block index;
    private final long dataEnd;
    private final FilterBlockReader filter;
    private final VerificationReport.Builder report;
    private final TableProblems problems;
    private byte[] lastKey;
    private long expectedOffset;

    DataBlockWalk(TableOptions options, BlockReader blocks, Block index, long dataEnd, FilterBlockReader filter,
            VerificationReport.Builder report) {
        this.options = options;
        this.comparator = options.comparator();
        this.blocks = blocks;
        this.index = index;
        this.dataEnd = dataEnd;
        this.filter = filter;
        this.report = report;
        this.problems = (kind, offset, reason) -> report.problem(offset, kind, reason);
    }

    void run() throws IOException {
        report.count("data blocks", 0).count("entries", 0).count("snappy blocks", 0);
        IndexCheck indexCheck = new IndexCheck(options, index, dataEnd, filter, problems);
        BlockIterator entries = index.iterator(comparator);
        byte[] previousSeparator = null;
        try {
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                byte[] separator = entries.key();
                BlockHandle handle = indexCheck.entry(separator, entries.value());
                if (handle != null) {
                    checkBlock(handle, previousSeparator, separator);
                }
                previousSeparator = handle == null ? null : separator;
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
            byte[] blockFirstPredecessor = lastKey;
            boolean[] first = {true};
            byte[] last = DataBlockCheck.check(block, options, previousSeparator, separator, problems, key -> {
                if (first[0] && blockFirstPredecessor != null && comparator.compare(blockFirstPredecessor, key) >= 0) {
                    report.problem(handle.offset(), "KEY_ORDER", "data block at " + handle.offset()
                            + ": first key does not sort after the last key of the block before");
                }
                first[0] = false;
                if (filter != null && !filter.mayContain(handle.offset(), options.filterKey().of(key))) {
                    report.problem(handle.offset(), "FILTER_MISS", "a key of the block fails its filter");
                }
                report.add("entries", 1);
            });
            lastKey = last == null ? lastKey : last;
        } catch (CorruptionException e) {
            report.problem(handle.offset(), "BAD_BLOCK", e.reason());
        }
    }
}
