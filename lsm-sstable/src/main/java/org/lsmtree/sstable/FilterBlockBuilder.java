package org.lsmtree.sstable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@link #addKey} for each key, {@link #finish} once. The keys of the filter being gathered are
 * copied end to end into one reused array (with their start offsets), as LevelDB does, so a
 * caller may pass views of keys that change once {@link #addKey} returns. Owns a heap
 * {@link ByteBuf}, released by {@link #close()}. Not thread-safe.
 */
final class FilterBlockBuilder implements AutoCloseable {
    private final BloomFilter bloom;
    private final ByteBuf result = Unpooled.buffer();
    private final List<Integer> filterOffsets = new ArrayList<>();
    /** The keys of the filter being gathered, end to end: key i is keys[starts[i], starts[i + 1]). */
    private byte[] keys = new byte[1024];
    private int[] starts = new int[65];
    private int keyCount;

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

    /** Adds the filter key {@code key[offset, offset + length)} of one entry (copied; not kept). */
    void addKey(byte[] key, int offset, int length) {
        int end = starts[keyCount];
        if (end + length > keys.length) {
            keys = Arrays.copyOf(keys, Math.max(end + length, keys.length * 2));
        }
        if (keyCount + 2 > starts.length) {
            starts = Arrays.copyOf(starts, starts.length * 2);
        }
        System.arraycopy(key, offset, keys, end, length);
        starts[++keyCount] = end + length;
    }

    /**
     * Writes the last filter and the offset array, and returns the block's contents. The buffer
     * belongs to this builder, valid until {@link #close()}; do not release it.
     */
    ByteBuf finish() {
        if (keyCount > 0) {
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
        if (keyCount == 0) {
            return;
        }
        result.writeBytes(bloom.create(keys, starts, keyCount));
        keyCount = 0;
    }

    @Override
    public void close() {
        if (result.refCnt() > 0) {
            result.release();
        }
    }
}
