package org.lsmtree.sstable;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which data blocks of one open, memory-mapped table passed {@link DataBlockCheck}, by the
 * ordinal of their index entry, each with the checksum (CRC32C of bytes and type) its bytes had
 * when they were checked. A block read again whose bytes have the checksum recorded holds the
 * bytes that were checked (up to CRC32C's collisions, the same trust every checksum-verified read
 * puts in it), so it needs no structural walk again: {@link MappedBlocks} walks each block once
 * per open table instead of once per read.
 *
 * <p>The checksum is kept, not only a bit, so that a block replaced on disk by another block that
 * has a valid trailer (a whole block swapped in, which passes its own checksum) is walked again
 * and its place checked against the index; bit flips, zeroing and truncation change the checksum
 * anyway and fail on it.
 *
 * <p>Layout: one long per index entry, 0 while unchecked, else {@code 1 << 32 | crc}; 8 bytes per
 * data block, counted in {@link TableReader#memoryBytes()}. Thread-safe: each slot is read and
 * written atomically; two threads checking one block at once both walk it and write the same
 * value.
 */
final class CheckedBlocks {
    private static final long CHECKED = 1L << 32;

    private final AtomicLongArray slots;

    /** For a table whose index has {@code blocks} entries. */
    CheckedBlocks(int blocks) {
        this.slots = new AtomicLongArray(blocks);
    }

    /** Whether block {@code ordinal} was checked with bytes of checksum {@code crc}. */
    boolean checked(int ordinal, int crc) {
        return slots.get(ordinal) == (CHECKED | (crc & 0xffffffffL));
    }

    /** Records that block {@code ordinal}, of checksum {@code crc}, passed the check. */
    void markChecked(int ordinal, int crc) {
        slots.set(ordinal, CHECKED | (crc & 0xffffffffL));
    }

    /** The bytes the record takes. */
    long memoryBytes() {
        return 16L + 8L * slots.length();
    }
}
