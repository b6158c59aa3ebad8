package org.lsmtree.sstable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a table's filter block: one bloom filter per {@code 2^11} bytes of data-block offsets,
 * holding the keys of the data blocks that start in that range.
 *
 * <pre>
 * filter-block := filter*  filterOffset:fixed32*  arrayOffset:fixed32  baseLg:uint8 (11)
 * </pre>
 *
 * Filter {@code i} covers data blocks whose offset lies in {@code [i * 2048, (i + 1) * 2048)};
 * a range without blocks gets an empty filter (its offset equals the next one's).
 *
 * <p>Call order: {@link #startBlock} with each data block's offset before its keys are added,
 * {@link #addKey} for each key, {@link #finish} once. Owns a heap {@link ByteBuf}, released by
 * {@link #close()}. Not thread-safe.
 */
final class FilterBlockBuilder implements AutoCloseable {
    private final BloomFilter bloom;
    private final ByteBuf result = Unpooled.buffer();
    private final List<Integer> filterOffsets = new ArrayList<>();
    private final List<byte[]> keys = new ArrayList<>();

    FilterBlockBuilder(BloomFilter bloom) {
        this.bloom = bloom;
    }

    /** Announces that the next keys belong to the data block starting at {@code blockOffset}. */
    void startBlock(long blockOffset) {
        long index = blockOffset >>> SstableFormat.FILTER_BASE_LG;
        assert index >= filterOffsets.size() : "block offsets must not go backwards";
        while (index > filterOffsets.size()) {
            generateFilter();
        }
    }

    /** Adds the filter key of one entry (kept by reference until the filter is generated). */
    void addKey(byte[] filterKey) {
        keys.add(filterKey);
    }

    /**
     * Writes the last filter and the offset array, and returns the block's contents. The buffer
     * belongs to this builder, valid until {@link #close()}; do not release it.
     */
    ByteBuf finish() {
        if (!keys.isEmpty()) {
            generateFilter();
        }
        int arrayOffset = result.writerIndex();
        for (int offset : filterOffsets) {
            result.writeIntLE(offset);
        }
        result.writeIntLE(arrayOffset);
        result.writeByte(SstableFormat.FILTER_BASE_LG);
        return result;
    }

    private void generateFilter() {
        filterOffsets.add(result.writerIndex());
        if (keys.isEmpty()) {
            return;
        }
        result.writeBytes(bloom.create(keys));
        keys.clear();
    }

    @Override
    public void close() {
        if (result.refCnt() > 0) {
            result.release();
        }
    }
}
