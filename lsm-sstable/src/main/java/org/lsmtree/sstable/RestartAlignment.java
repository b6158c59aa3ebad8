package org.lsmtree.sstable;

import org.lsmtree.format.CorruptionException;

/**
 * Checks, during one forward walk over a block's entries, that every restart point is the start
 * of an entry of that walk. A restart in the middle of an entry (or past the last one) is not
 * caught by {@link Block}'s own checks, which see only the restart array: a seek or a backward
 * walk, which start decoding at a restart, would then read entries that the forward walk does
 * not see - entries that are in no scan, served as data. Blocks that a reader seeks in (data
 * blocks, {@link DataBlockCheck}; the index block, {@link IndexCheck}) are checked this way when
 * loaded. Not thread-safe: one per walk.
 */
final class RestartAlignment {
    private final Block block;
    private int next;

    RestartAlignment(Block block) {
        this.block = block;
    }

    /** The walk is on the entry at {@code entryOffset}; entries come in increasing order. */
    void visit(int entryOffset) throws CorruptionException {
        if (next < block.restartCount() && block.restart(next) < entryOffset) {
            throw misaligned(next);
        }
        if (next < block.restartCount() && block.restart(next) == entryOffset) {
            next++;
        }
    }

    /** The walk ended after its last entry: no restart may be left over (an empty block has one, at 0). */
    void finish() throws CorruptionException {
        if (next < block.restartCount() && !(next == 0 && block.restartOffset() == 0)) {
            throw misaligned(next);
        }
    }

    private CorruptionException misaligned(int index) {
        return block.corruption("restart " + index + " at byte " + block.restart(index)
                + " is not the start of an entry: a seek would read entries a scan does not see");
    }
}
