package org.lsmtree.sstable;

import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;

/**
 * Answers "may this key be in the data block at this offset?" from a filter block (layout in
 * {@link FilterBlockBuilder}). As LevelDB does, a filter block that does not parse, or an offset
 * it has no filter for, answers "maybe": a damaged filter costs reads, never entries. The
 * {@link SstableVerifier} reports such damage.
 *
 * <p>The damage that would cost entries instead - a filter answering "no" for keys its block
 * holds - is refused where it can be seen without the keys, when a reader opens the table: a
 * filter that is not empty but matches nothing ({@link #checkFilters}: no builder writes one, as
 * each filter it writes holds at least one key), and an empty filter for a range in which a data
 * block starts ({@link #isEmptyFor}, checked by {@link IndexCheck}).
 *
 * <p>Immutable and thread-safe.
 */
final class FilterBlockReader {
    private final byte[] contents;
    private final long offset;
    private final int baseLg;
    private final int arrayOffset;
    private final int filterCount;
    private final boolean wellFormed;

    /** Reads the filter block of {@code contents}, found at {@code offset} in its table. */
    FilterBlockReader(byte[] contents, long offset) {
        this.contents = contents;
        this.offset = offset;
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
        return mayContain(blockOffset, filterKey, filterKey.length);
    }

    /**
     * Whether the filter key {@code key[0, keyLength)} may be among the keys of the data block at
     * {@code blockOffset}; hashes it where it lies.
     */
    boolean mayContain(long blockOffset, byte[] key, int keyLength) {
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
            return BloomFilter.mayContain(contents, (int) start, (int) (limit - start), key, keyLength);
        }
        return true;
    }

    /** The bytes the block holds in memory. */
    int size() {
        return contents.length;
    }

    /** The filter block's offset in its table. */
    long offset() {
        return offset;
    }

    /**
     * Whether the filter covering the data block at {@code blockOffset} is there and empty: it
     * would answer "no" for every key, which is right only when no data block starts in its range.
     */
    boolean isEmptyFor(long blockOffset) {
        long index = blockOffset >>> baseLg;
        if (!wellFormed || index >= filterCount) {
            return false;
        }
        long limit = filterLimit((int) index);
        return filterStart((int) index) == limit && limit <= arrayOffset;
    }

    /**
     * Reports ({@code BAD_FILTER}) each filter that holds bytes yet matches no key (one byte, or
     * no bit set under a probe count of 1 to 30); such a filter would hide every key of its blocks.
     * Reads each filter once.
     */
    void checkFilters(TableProblems problems) throws CorruptionException {
        for (int i = 0; i < filterCount; i++) {
            long start = filterStart(i);
            long limit = filterLimit(i);
            if (start < limit && limit <= arrayOffset
                    && BloomFilter.matchesNothing(contents, (int) start, (int) (limit - start))) {
                problems.report("BAD_FILTER", offset, "filter block at " + offset + ": filter " + i
                        + " (data blocks at " + ((long) i << baseLg) + " to " + (((long) i + 1) << baseLg) + ") has "
                        + (limit - start) + " bytes but no bit set, which no builder writes: it would hide every key"
                        + " of its blocks");
            }
        }
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
