package org.lsmtree.sstable;

import org.lsmtree.format.LittleEndian;

/**
 * Answers "may this key be in the data block at this offset?" from a filter block (layout in
 * {@link FilterBlockBuilder}). As LevelDB does, a filter block that does not parse, or an offset
 * it has no filter for, answers "maybe": a damaged filter costs reads, never entries. The
 * {@link SstableVerifier} reports such damage.
 *
 * <p>Immutable and thread-safe.
 */
final class FilterBlockReader {
    private final byte[] contents;
    private final int baseLg;
    private final int arrayOffset;
    private final int filterCount;
    private final boolean wellFormed;

    FilterBlockReader(byte[] contents) {
        this.contents = contents;
        int n = contents.length;
        if (n < 5) {
            baseLg = 0;
            arrayOffset = 0;
            filterCount = 0;
            wellFormed = false;
            return;
        }
        baseLg = contents[n - 1] & 0xff;
        long last = LittleEndian.getFixed32(contents, n - 5) & 0xffffffffL;
        if (last > n - 5 || baseLg >= 64) {
            arrayOffset = 0;
            filterCount = 0;
            wellFormed = false;
            return;
        }
        arrayOffset = (int) last;
        filterCount = (n - 5 - arrayOffset) / 4;
        wellFormed = true;
    }

    /** Whether the block parsed (a size of at least 5, an array offset within it). */
    boolean isWellFormed() {
        return wellFormed;
    }

    int filterCount() {
        return filterCount;
    }

    int baseLg() {
        return baseLg;
    }

    /** Whether {@code filterKey} may be among the keys of the data block at {@code blockOffset}. */
    boolean mayContain(long blockOffset, byte[] filterKey) {
        if (!wellFormed) {
            return true;
        }
        long index = blockOffset >>> baseLg;
        if (index >= filterCount) {
            return true;
        }
        long start = filterStart((int) index);
        long limit = filterLimit((int) index);
        if (start <= limit && limit <= arrayOffset) {
            return BloomFilter.mayContain(contents, (int) start, (int) (limit - start), filterKey);
        }
        return true;
    }

    /** Offset of filter {@code index} in the block. */
    long filterStart(int index) {
        return LittleEndian.getFixed32(contents, arrayOffset + index * 4) & 0xffffffffL;
    }

    /** Offset just past filter {@code index}: the next filter's start, or the array itself. */
    long filterLimit(int index) {
        return index + 1 < filterCount ? filterStart(index + 1) : arrayOffset;
    }
}
