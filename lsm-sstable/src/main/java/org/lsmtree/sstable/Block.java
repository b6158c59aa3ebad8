package org.lsmtree.sstable;

import java.util.Comparator;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;

/**
 * The uncompressed contents of one block of a table, parsed far enough to iterate: where the
 * restart array starts and how many restarts it holds (see {@link BlockBuilder} for the layout).
 * This is what a {@link BlockCache} holds.
 *
 * <p>Invariant (checked on construction): the restart array fits in the contents, and every
 * restart offset lies at or before it (an empty block has one restart, at 0), in increasing order.
 * Entries themselves are checked as an iterator decodes them; a data block is checked whole, and
 * against the index, by {@link DataBlockCheck} when a reader loads it.
 *
 * <p>Immutable and thread-safe: the contents array is never changed after construction, and many
 * iterators may read one block at once.
 */
public final class Block {
    private final byte[] contents;
    private final String file;
    private final long offset;
    private final boolean checksumVerified;
    private final int restartOffset;
    private final int restartCount;

    /**
     * Parses {@code contents} (kept, not copied) of the block at {@code offset} of {@code file};
     * {@code checksumVerified} says whether its trailer checksum was checked when it was read.
     */
    Block(byte[] contents, String file, long offset, boolean checksumVerified) throws CorruptionException {
        this.contents = contents;
        this.file = file;
        this.offset = offset;
        this.checksumVerified = checksumVerified;
        if (contents.length < 4) {
            throw corruption("block of " + contents.length + " bytes has no restart count");
        }
        long count = LittleEndian.getFixed32(contents, contents.length - 4) & 0xffffffffL;
        if (count > (contents.length - 4) / 4) {
            throw corruption("restart count " + count + " does not fit in a block of " + contents.length + " bytes");
        }
        this.restartCount = (int) count;
        this.restartOffset = contents.length - 4 - restartCount * 4;
        long previous = -1;
        for (int i = 0; i < restartCount; i++) {
            long restart = restart(i) & 0xffffffffL;
            if (restart > restartOffset || restart <= previous) {
                throw corruption("restart " + i + " at " + restart + " is out of order or past the entries (which end at "
                        + restartOffset + ")");
            }
            previous = restart;
        }
    }

    /** The size of the uncompressed contents in bytes (what a cache weighs). */
    public int size() {
        return contents.length;
    }

    /** The offset of the block in its table file. */
    public long offset() {
        return offset;
    }

    /** Whether the block's checksum was verified when it was read from the file. */
    public boolean checksumVerified() {
        return checksumVerified;
    }

    /** A new iterator over the entries, ordered by {@code comparator}. Not thread-safe itself. */
    BlockIterator iterator(Comparator<byte[]> comparator) {
        return new BlockIterator(this, comparator);
    }

    /** A new iterator over the entries, ordered by {@code order}. Not thread-safe itself. */
    BlockIterator iterator(KeyOrder order) {
        return new BlockIterator(this, order);
    }

    byte[] contents() {
        return contents;
    }

    int restartOffset() {
        return restartOffset;
    }

    int restartCount() {
        return restartCount;
    }

    int restart(int index) {
        return LittleEndian.getFixed32(contents, restartOffset + index * 4);
    }

    /** A corruption of this block, located at the block's offset in its file. */
    CorruptionException corruption(String reason) {
        return new CorruptionException(file, offset, "block at " + offset + ": " + reason);
    }

    @Override
    public String toString() {
        return "Block(" + file + "@" + offset + ", " + contents.length + " bytes, " + restartCount + " restarts)";
    }
}
