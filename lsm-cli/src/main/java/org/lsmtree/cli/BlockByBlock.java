package org.lsmtree.cli;

import java.io.IOException;
import java.util.List;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.sstable.TableLayout;

/**
 * Reads every entry of a table that its checksums allow: a damaged data block is reported and
 * the reading goes on at the first entry of the next block, found by seeking just past the
 * damaged block's index separator (every key of block {@code i+1} sorts after separator
 * {@code i}). A block is known damaged by the offset its {@link CorruptionException} carries.
 * Used once, by one thread.
 */
final class BlockByBlock {
    /** Receives each entry read. */
    interface EntrySink {
        void accept(byte[] key, byte[] value) throws IOException;
    }

    /** Receives each damaged block's error. */
    interface DamageSink {
        void accept(CorruptionException e) throws IOException;
    }

    private final InternalIterator iterator;
    private final List<TableLayout.IndexEntry> blocks;

    BlockByBlock(InternalIterator iterator, List<TableLayout.IndexEntry> blocks) {
        this.iterator = iterator;
        this.blocks = blocks;
    }

    void forEach(EntrySink entries, DamageSink damage) throws IOException {
        int block = 0;
        while (block < blocks.size()) {
            try {
                if (block == 0) {
                    iterator.seekToFirst();
                } else {
                    iterator.seek(justAfter(blocks.get(block - 1).separator()));
                }
                for (; iterator.isValid(); iterator.next()) {
                    entries.accept(iterator.key(), iterator.value());
                }
                return;
            } catch (CorruptionException e) {
                damage.accept(e);
                int bad = blockAt(e.offset());
                if (bad < 0) {
                    return; // not a data block's damage: nothing tells where reading could go on
                }
                block = Math.max(block, bad) + 1;
            }
        }
    }

    /** The index of the data block holding file offset {@code offset}, or -1. */
    private int blockAt(long offset) {
        for (int i = 0; i < blocks.size(); i++) {
            TableLayout.IndexEntry entry = blocks.get(i);
            if (offset >= entry.offset() && offset < entry.offset() + entry.size() + 5) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The smallest internal key that sorts after {@code key}: the same user key with the next
     * smaller trailer (trailers sort descending), or, for trailer 0, the user key extended by a
     * zero byte with the largest trailer.
     */
    static byte[] justAfter(byte[] key) {
        if (key.length < InternalKey.TRAILER_SIZE) {
            return key;
        }
        long trailer = InternalKey.trailerOf(key);
        byte[] userKey = InternalKey.userKeyOf(key);
        if (trailer != 0) {
            byte[] next = key.clone();
            org.lsmtree.format.LittleEndian.putFixed64(next, userKey.length, trailer - 1);
            return next;
        }
        byte[] longer = java.util.Arrays.copyOf(userKey, userKey.length + 1);
        return InternalKey.encode(longer, InternalKey.MAX_SEQUENCE, org.lsmtree.format.key.ValueType.PUT);
    }
}
