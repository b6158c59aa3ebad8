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
 * <p>A block a reader made (read from the file, or from the cache) is immutable and thread-safe:
 * its contents are never changed after construction, and many iterators may read one block at
 * once. The one exception is a reader's own buffer block ({@link #reusable()}), which a single
 * thread points at one block after another of a memory-mapped table ({@link #load}); it never
 * enters a cache and never leaves the reader or iterator that owns it, and its contents are valid
 * only until that owner loads the next block.
 */
public final class Block {
    private static final byte[] NO_BYTES = new byte[0];

    private byte[] contents;
    private int size;
    private String file;
    private long offset;
    private boolean checksumVerified;
    private int restartOffset;
    private int restartCount;

    /**
     * Parses {@code contents} (kept, not copied) of the block at {@code offset} of {@code file};
     * {@code checksumVerified} says whether its trailer checksum was checked when it was read.
     */
    Block(byte[] contents, String file, long offset, boolean checksumVerified) throws CorruptionException {
        load(contents, contents.length, file, offset, checksumVerified);
    }

    private Block() {
        this.contents = NO_BYTES;
    }

    /** An empty block to {@link #load} again and again: one reader's or iterator's buffer block. */
    static Block reusable() {
        return new Block();
    }

    /**
     * Points this block at {@code contents[0, size)} (kept, not copied), the block at
     * {@code offset} of {@code file}, and parses its restart array. Only for a block made by
     * {@link #reusable()}, by the one thread that owns it; on a corruption the block is left empty.
     */
    void load(byte[] contents, int size, String file, long offset, boolean checksumVerified)
            throws CorruptionException {
        this.contents = contents;
        this.size = size;
        this.file = file;
        this.offset = offset;
        this.checksumVerified = checksumVerified;
        this.restartCount = 0;
        this.restartOffset = 0;
        if (size < 4) {
            throw corruption("block of " + size + " bytes has no restart count");
        }
        long count = LittleEndian.getFixed32(contents, size - 4) & 0xffffffffL;
        if (count > (size - 4) / 4) {
            throw corruption("restart count " + count + " does not fit in a block of " + size + " bytes");
        }
        int restarts = size - 4 - (int) count * 4;
        long previous = -1;
        for (int i = 0; i < count; i++) {
            long restart = LittleEndian.getFixed32(contents, restarts + i * 4) & 0xffffffffL;
            if (restart > restarts || restart <= previous) {
                throw corruption("restart " + i + " at " + restart + " is out of order or past the entries (which end at "
                        + restarts + ")");
            }
            previous = restart;
        }
        this.restartCount = (int) count;
        this.restartOffset = restarts;
    }

    /** Empties a {@link #reusable()} block, so that it keeps no contents reachable. */
    void unload() {
        this.contents = NO_BYTES;
        this.size = 0;
        this.restartCount = 0;
        this.restartOffset = 0;
    }

    /** The size of the uncompressed contents in bytes (what a cache weighs). */
    public int size() {
        return size;
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

    /** The array holding the contents in {@code [0, size())}; for a reusable block, possibly longer. */
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
        return "Block(" + file + "@" + offset + ", " + size + " bytes, " + restartCount + " restarts)";
    }
}
