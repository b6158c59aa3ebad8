package org.lsmtree.sstable;

import java.util.Comparator;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.InternalKey;

/**
 * What every index entry must satisfy, checked once when a table is opened (and by the verifier):
 *
 * <ul>
 *   <li>its key is well formed (an internal key, for internal-key tables) and sorts after the
 *       previous entry's key ({@code BAD_KEY}, {@code KEY_ORDER});
 *   <li>its handle decodes and lies in the data region: it ends at or before the first of the
 *       filter, properties, metaindex and index blocks ({@code BAD_HANDLE}), so no index entry
 *       serves a meta block as data;
 *   <li>the blocks increase: each starts at or after the end of the one before
 *       ({@code BLOCK_LAYOUT});
 *   <li>with a filter, the filter of the block's offset range is not empty ({@code BAD_FILTER}):
 *       a builder puts the keys of every data block into the filter of the range its offset
 *       falls in, and a data block holds at least one key, so an empty filter there can only be
 *       damage, and it would make every key of the block seem absent;
 *   <li>every restart point of the index block is the start of an entry
 *       ({@link RestartAlignment}, a {@link CorruptionException}): a seek starts at one.
 * </ul>
 *
 * With the index checked this way, a data block needs only the two comparisons of
 * {@link DataBlockCheck} against the index keys around it when it is loaded. Used by one thread.
 */
final class IndexCheck {
    private final TableOptions options;
    private final Comparator<byte[]> order;
    private final Block index;
    private final long dataEnd;
    private final FilterBlockReader filter;
    private final TableProblems problems;
    private final String at;
    private byte[] previousKey;
    private long previousEnd;

    /**
     * Checks the entries of {@code index}, whose data blocks must end by {@code dataEnd};
     * {@code filter} is the table's filter, or null.
     */
    IndexCheck(TableOptions options, Block index, long dataEnd, FilterBlockReader filter, TableProblems problems) {
        this.options = options;
        this.order = options.comparator();
        this.index = index;
        this.dataEnd = dataEnd;
        this.filter = filter;
        this.problems = problems;
        this.at = "index block at " + index.offset() + ": ";
    }

    /** Checks every entry of {@code index}, as a reader does when it opens a table; returns how many there are. */
    static int checkAll(TableOptions options, Block index, long dataEnd, FilterBlockReader filter,
            TableProblems problems) throws CorruptionException {
        IndexCheck check = new IndexCheck(options, index, dataEnd, filter, problems);
        BlockIterator entries = index.iterator(options.comparator());
        RestartAlignment restarts = new RestartAlignment(index);
        int count = 0;
        for (entries.seekToFirst(); entries.isValid(); entries.next()) {
            restarts.visit(entries.entryOffset());
            check.entry(entries.key(), entries.value());
            count++;
        }
        restarts.finish();
        return count;
    }

    /**
     * Where the data region ends: the smallest offset of the blocks that follow the data blocks
     * (the footer's metaindex and index handles, and the filter and properties blocks when there
     * are such, else null).
     */
    static long dataEnd(Footer footer, BlockHandle filter, BlockHandle properties) {
        long end = Math.min(footer.metaindex().offset(), footer.index().offset());
        if (filter != null) {
            end = Math.min(end, filter.offset());
        }
        if (properties != null) {
            end = Math.min(end, properties.offset());
        }
        return end;
    }

    /**
     * Checks the next entry, of key {@code key} and value {@code value}. Returns its handle, or
     * null when the key or the handle is unusable (after reporting it).
     */
    BlockHandle entry(byte[] key, byte[] value) throws CorruptionException {
        String keyProblem = options.internalKeys() ? InternalKey.problemWith(key) : null;
        if (keyProblem != null) {
            problems.report("BAD_KEY", index.offset(), at + keyProblem);
        } else if (previousKey != null && order.compare(previousKey, key) >= 0) {
            problems.report("KEY_ORDER", index.offset(), at + "index keys out of order");
        }
        previousKey = keyProblem == null ? key : previousKey;
        BlockHandle handle;
        try {
            handle = TableReader.handleIn(index, value, "index entry");
        } catch (CorruptionException e) {
            problems.report("BAD_HANDLE", index.offset(), e.reason());
            return null;
        }
        if (handle.size() > dataEnd - handle.offset() - SstableFormat.TRAILER_SIZE) {
            problems.report("BAD_HANDLE", index.offset(), at + "entry for the data block " + handle
                    + " reaches past the data blocks, which end at " + dataEnd
                    + " where the filter, metaindex and index blocks begin");
            return null;
        }
        if (handle.offset() < previousEnd) {
            problems.report("BLOCK_LAYOUT", index.offset(), at + "entry for the data block " + handle
                    + " starts before the end of the previous data block (" + previousEnd
                    + "): data blocks must increase");
        }
        previousEnd = handle.end();
        if (filter != null && filter.isEmptyFor(handle.offset())) {
            problems.report("BAD_FILTER", filter.offset(), "filter block at " + filter.offset() + ": the filter for"
                    + " the data block at " + handle.offset() + " is empty, yet a builder puts every data block's keys"
                    + " in the filter of its offset: it would hide every key of the block");
        }
        return keyProblem == null ? handle : null;
    }
}
