package org.lsmtree.engine;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.manifest.FileMetadata;

/**
 * The files of one level of a {@link Version}, laid out once for the reads that ask about them
 * many times: level 0 newest file first (its files may overlap, and a lookup asks the newest
 * first), deeper levels in key order (theirs do not overlap, so a binary search over the largest
 * keys finds the one file that may hold a key). Each file's user-key range is kept as arrays
 * ready to compare, so that a lookup neither copies keys out of {@link FileMetadata} nor sorts.
 *
 * <p>Each file also has its budget of allowed seeks (LevelDB's {@code allowed_seeks}; see
 * {@link SeekCompactions}): a counter that reads spend and that the next version's layout of the
 * same level takes over for the files it keeps, so that a flush or compaction elsewhere does not
 * refill it. A file that moves to another level starts a full budget there, as in LevelDB.
 *
 * <p>Immutable once built apart from the budgets (nothing hands out the arrays); thread-safe.
 */
final class LevelFiles {
    private final FileMetadata[] files;
    private final byte[][] smallestUserKeys;
    private final byte[][] largestUserKeys;
    /** The encoded largest internal keys, for the binary search of deeper levels. */
    private final byte[][] largestKeys;
    /** Seeks each file may still be charged before it is compacted; shared with the next layout. */
    private final AtomicInteger[] allowedSeeks;

    /** @param previous the same level's layout in the version before (null: none), whose budgets go on */
    private LevelFiles(FileMetadata[] files, LevelFiles previous) {
        this.files = files;
        this.smallestUserKeys = new byte[files.length][];
        this.largestUserKeys = new byte[files.length][];
        this.largestKeys = new byte[files.length][];
        this.allowedSeeks = new AtomicInteger[files.length];
        Map<Long, AtomicInteger> carried = previous == null || previous.isEmpty() ? Map.of()
                : previous.budgetsByNumber();
        for (int i = 0; i < files.length; i++) {
            smallestUserKeys[i] = InternalKey.userKeyOf(files[i].smallest());
            largestKeys[i] = files[i].largest();
            largestUserKeys[i] = InternalKey.userKeyOf(largestKeys[i]);
            AtomicInteger budget = carried.get(files[i].number());
            allowedSeeks[i] = budget != null ? budget : new AtomicInteger(SeekCompactions.allowedSeeks(files[i].size()));
        }
    }

    /** Level 0's files: the newest (highest number) first; budgets carried over from {@code previous} (or null). */
    static LevelFiles newestFirst(List<FileMetadata> files, LevelFiles previous) {
        FileMetadata[] sorted = files.toArray(new FileMetadata[0]);
        java.util.Arrays.sort(sorted, Comparator.comparingLong(FileMetadata::number).reversed());
        return new LevelFiles(sorted, previous);
    }

    /**
     * A deeper level's files, already sorted by key and not overlapping (as {@code LevelState}
     * keeps them); budgets carried over from {@code previous} (or null).
     */
    static LevelFiles inKeyOrder(List<FileMetadata> files, InternalKeyComparator order, LevelFiles previous) {
        LevelFiles level = new LevelFiles(files.toArray(new FileMetadata[0]), previous);
        assert level.inOrder(order) : "files of a deeper level out of key order or overlapping: " + files;
        return level;
    }

    private Map<Long, AtomicInteger> budgetsByNumber() {
        Map<Long, AtomicInteger> budgets = new HashMap<>();
        for (int i = 0; i < files.length; i++) {
            budgets.put(files[i].number(), allowedSeeks[i]);
        }
        return budgets;
    }

    /** Whether each file ends before the next one starts. */
    private boolean inOrder(InternalKeyComparator order) {
        for (int i = 1; i < files.length; i++) {
            if (order.compare(largestKeys[i - 1], files[i].smallest()) >= 0) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return files.length;
    }

    boolean isEmpty() {
        return files.length == 0;
    }

    FileMetadata file(int index) {
        return files[index];
    }

    /**
     * Spends one allowed seek of file {@code index} unless its budget is spent already; returns
     * the seeks left, 0 or below once it is spent (racing readers may take it a little below 0).
     */
    int chargeSeek(int index) {
        AtomicInteger budget = allowedSeeks[index];
        int left = budget.get();
        return left > 0 ? budget.decrementAndGet() : left;
    }

    /** The seeks file {@code index} may still be charged. */
    int allowedSeeks(int index) {
        return allowedSeeks[index].get();
    }

    /** Whether {@code userKey} lies within the user-key range of file {@code index}. */
    boolean covers(int index, byte[] userKey, UserComparator order) {
        return order.compare(userKey, smallestUserKeys[index]) >= 0 && order.compare(userKey, largestUserKeys[index]) <= 0;
    }

    /**
     * The index of the first file whose largest key is at or after the internal key
     * {@code target}, or -1 when every file ends before it. Requires files in key order.
     */
    int firstEndingAtOrAfter(byte[] target, InternalKeyComparator order) {
        int low = 0;
        int high = files.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (order.compare(largestKeys[middle], target) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low < files.length ? low : -1;
    }
}
