package org.lsmtree.sstable;

import java.util.Arrays;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;

/**
 * What a data block must satisfy before anything reads from it, checked where the block is loaded
 * (read from the file, before it is cached): every entry well formed (the {@link BlockIterator}
 * checks that), every restart point at the start of an entry ({@link RestartAlignment}), every
 * key of an internal-key table an internal key ({@link InternalKey#problemWith}: at least 8
 * bytes, a known value type), keys strictly increasing, and the block in the place the
 * index gives it: its first key after the key of the index entry before its own, its last key at
 * or before its own index entry's key.
 *
 * <p>A block checksum covers the block's bytes, not its place in the file: two data blocks of
 * equal size swapped, or an index entry pointing at another block, pass every checksum. The two
 * comparisons against the index keys are what keep such a block from serving its entries where
 * other keys belong (stale values, deleted keys brought back). Checking the whole block once, on
 * load, costs one pass over its entries with one comparison each; a lookup in a cached block
 * checks nothing again, and a lookup never decides from a part of a block nobody checked.
 *
 * <p>Stateless; thread-safe.
 */
final class DataBlockCheck {

    /** Receives each well-formed key of the block in order (what the verifier counts and filters). */
    @FunctionalInterface
    interface KeyVisitor {
        void visit(byte[] key) throws CorruptionException;
    }

    private DataBlockCheck() {}

    /** Checks a block a reader loads, throwing the first problem as a corruption of {@code file}. */
    static void check(Block block, TableOptions options, byte[] previousIndexKey, byte[] indexKey, String file)
            throws CorruptionException {
        check(block, options, previousIndexKey, indexKey, TableProblems.throwing(file), null);
    }

    /**
     * Checks {@code block}, read through the index entry with key {@code indexKey} ({@code null}:
     * not known), whose preceding index entry has key {@code previousIndexKey} ({@code null} for
     * the first block, or not known). Malformed entries throw; everything else goes to
     * {@code problems}. {@code visitor} (null: none) gets a copy of each well-formed key. Returns
     * a copy of the last well-formed key, or null when there is none.
     *
     * <p>Keys are compared where they lie: the walk keeps the previous good key in a buffer of its
     * own, so that a block checked on load costs one pass and one buffer, not an array per entry.
     */
    static byte[] check(Block block, TableOptions options, byte[] previousIndexKey, byte[] indexKey,
            TableProblems problems, KeyVisitor visitor) throws CorruptionException {
        KeyOrder order = options.keyOrder();
        String where = "data block at " + block.offset() + ": ";
        byte[] previous = null;
        int previousLength = 0;
        BlockIterator entries = block.iterator(order);
        RestartAlignment restarts = new RestartAlignment(block);
        for (entries.seekToFirst(); entries.isValid(); entries.next()) {
            restarts.visit(entries.entryOffset());
            byte[] key = entries.keyBuffer();
            int length = entries.keyLength();
            String problem = options.internalKeys() ? internalKeyProblem(key, length) : null;
            if (problem != null) {
                problems.report("BAD_KEY", block.offset(),
                        where + "entry at byte " + entries.entryOffset() + ": " + problem);
                continue;
            }
            if (previous != null && order.compare(previous, 0, previousLength, key, 0, length) >= 0) {
                problems.report("KEY_ORDER", block.offset(), where + "entry at byte " + entries.entryOffset()
                        + ": key does not sort after the key before it");
            } else if (previous == null && previousIndexKey != null
                    && order.compare(key, 0, length, previousIndexKey) <= 0) {
                problems.report("INDEX_MISMATCH", block.offset(), where + "first key does not sort after the key of"
                        + " the index entry before the block's own: the block is not where the index puts it");
            }
            if (visitor != null) {
                visitor.visit(Arrays.copyOf(key, length));
            }
            if (previous == null || previous.length < length) {
                previous = new byte[Math.max(length, 32)];
            }
            System.arraycopy(key, 0, previous, 0, length);
            previousLength = length;
        }
        restarts.finish();
        if (previous != null && indexKey != null && order.compare(previous, 0, previousLength, indexKey) > 0) {
            problems.report("INDEX_MISMATCH", block.offset(), where + "last key sorts after the block's index key:"
                    + " the block is not where the index puts it");
        }
        return previous == null ? null : Arrays.copyOf(previous, previousLength);
    }

    /** {@link InternalKey#problemWith} of {@code key[0, length)}, copying only a key that has a problem. */
    static String internalKeyProblem(byte[] key, int length) {
        if (length >= InternalKey.TRAILER_SIZE
                && ValueType.fromCode(key[length - InternalKey.TRAILER_SIZE] & 0xff) != null) {
            return null;
        }
        return InternalKey.problemWith(Arrays.copyOf(key, length));
    }
}
