package org.lsmtree.engine;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;

/**
 * The tables of one moment of the store, as the MANIFEST describes them, with the reads over
 * them: level 0 newest file first (its files may overlap), then at most one file per deeper level
 * (theirs do not). What lookups and iterators need of the files (level 0's order, every file's
 * user-key range, the deeper levels' largest keys for a binary search) is laid out once, when the
 * version is made ({@link LevelFiles}), so that a read neither sorts nor copies keys. Immutable
 * apart from its reference count and its files' seek budgets (counters that reads spend, shared
 * with the versions before and after that keep the file at its level; {@link SeekCompactions}): a
 * reader or iterator that uses a version holds a reference, and the files of a version are not
 * deleted while it is referenced.
 *
 * <p>Thread-safe.
 */
final class Version {
    private final LevelState state;
    private final InternalKeyComparator comparator;
    private final TableCache tables;
    private final AtomicInteger references = new AtomicInteger(1);
    private final Consumer<Version> onRelease;
    /** The files of each level, laid out for lookups once ({@link LevelFiles}). */
    private final LevelFiles[] levels = new LevelFiles[ManifestFormat.NUM_LEVELS];
    /** Null when reads charge no seeks (read-only, or turned off). */
    private final SeekCompactions seeks;

    Version(LevelState state, TableCache tables, Consumer<Version> onRelease) {
        this(state, tables, onRelease, null, null);
    }

    /**
     * @param previous the version this one follows (null: none), whose files' seek budgets go on
     *     where they stay at their level
     * @param seeks where lookups and samples charge seeks, or null to charge none
     */
    Version(LevelState state, TableCache tables, Consumer<Version> onRelease, Version previous, SeekCompactions seeks) {
        this.state = state;
        this.comparator = state.comparator();
        this.tables = tables;
        this.onRelease = onRelease;
        this.seeks = seeks;
        levels[0] = LevelFiles.newestFirst(state.files(0), previous == null ? null : previous.levels[0]);
        for (int level = 1; level < levels.length; level++) {
            levels[level] = LevelFiles.inKeyOrder(state.files(level), comparator,
                    previous == null ? null : previous.levels[level]);
        }
    }

    /** The files of {@code level} as laid out for reads. */
    LevelFiles levelFiles(int level) {
        return levels[level];
    }

    LevelState state() {
        return state;
    }

    /** Takes a reference; returns false when the version was already released. */
    boolean acquire() {
        while (true) {
            int count = references.get();
            if (count == 0) {
                return false;
            }
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one lets the version's obsolete files go. */
    void release() {
        int left = references.decrementAndGet();
        assert left >= 0 : "version released more often than acquired";
        if (left == 0) {
            onRelease.accept(this);
        }
    }

    boolean isLive() {
        return references.get() > 0;
    }

    /**
     * The value of {@code userKey} at {@code snapshot} in the tables (null when absent or
     * deleted): level-0 files covering the key newest first, then the one file per deeper level
     * whose range holds it. A lookup that consulted more than one table charges the first a seek
     * ({@link SeekCompactions}). Allocates nothing itself; the value is the fresh array the table made.
     */
    byte[] get(byte[] userKey, long snapshot, boolean verifyChecksums) throws IOException {
        return search(userKey, LookupKey.of(userKey, snapshot), verifyChecksums, true);
    }

    /**
     * An iterator read the entry of {@code internalKey}: if two or more tables hold its user key,
     * the first (as a lookup would ask them) is charged a seek. LevelDB's {@code RecordReadSample}.
     */
    void recordReadSample(byte[] internalKey) {
        if (seeks != null) {
            try {
                search(InternalKey.userKeyOf(internalKey), internalKey, false, false);
            } catch (IOException e) {
                throw new AssertionError("a sample reads no table", e);
            }
        }
    }

    /**
     * Walks the tables whose range holds {@code userKey} in the order a lookup asks them (level 0
     * newest first, then one file per deeper level, found by {@code internalKey}). With
     * {@code lookUp} asks each for the key until one settles it and returns what it found (null:
     * nothing); without, asks none and stops at the second table. Either way, when a second table
     * was reached the first is charged a seek.
     */
    private byte[] search(byte[] userKey, byte[] internalKey, boolean verifyChecksums, boolean lookUp)
            throws IOException {
        UserComparator order = comparator.userComparator();
        int firstLevel = -1;
        int firstIndex = -1;
        boolean second = false;
        byte[] value = null;
        walk:
        for (int level = 0; level < levels.length; level++) {
            LevelFiles files = levels[level];
            int i = level == 0 ? 0 : files.firstEndingAtOrAfter(internalKey, comparator);
            int end = level == 0 ? files.size() : i + 1; // at most one file of a deeper level holds the key
            for (; i >= 0 && i < end; i++) {
                if (files.covers(i, userKey, order)) {
                    if (firstLevel >= 0) {
                        second = true;
                        if (!lookUp) {
                            break walk;
                        }
                    } else {
                        firstLevel = level;
                        firstIndex = i;
                    }
                    if (lookUp) {
                        value = lookIn(files.file(i), internalKey, verifyChecksums);
                        if (value != null) {
                            break walk;
                        }
                    }
                }
            }
        }
        if (second && seeks != null) {
            seeks.charge(levels[firstLevel], firstLevel, firstIndex);
        }
        return value == TableFormat.TOMBSTONE ? null : value;
    }

    /** How many iterators {@link #addIterators} adds. */
    int iteratorCount() {
        int count = levels[0].size();
        for (int level = 1; level < levels.length; level++) {
            count += levels[level].isEmpty() ? 0 : 1;
        }
        return count;
    }

    /**
     * Adds iterators over every table to {@code iterators}: one per level-0 file (newest first),
     * one {@link LevelIterator} per deeper level that has files, which opens no table until it is
     * positioned; they add the blocks they read to the block cache only if {@code fillCache}. On
     * failure closes every iterator in {@code iterators} (those added before too).
     */
    void addIterators(List<InternalIterator> iterators, boolean verifyChecksums, boolean fillCache) throws IOException {
        try {
            LevelFiles zero = levels[0];
            for (int i = 0; i < zero.size(); i++) {
                iterators.add(tables.get(zero.file(i)).iterator(verifyChecksums, fillCache));
            }
        } catch (IOException | RuntimeException e) {
            for (InternalIterator opened : iterators) {
                try {
                    opened.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        for (int level = 1; level < levels.length; level++) {
            if (!levels[level].isEmpty()) {
                iterators.add(new LevelIterator(levels[level], comparator, tables, verifyChecksums, fillCache));
            }
        }
    }

    /**
     * What the table of {@code file} holds for the key of {@code lookup}: its value, {@link
     * TableFormat#TOMBSTONE}, or null for nothing (the bloom filter is asked before any block).
     */
    private byte[] lookIn(FileMetadata file, byte[] lookup, boolean verifyChecksums) throws IOException {
        return tables.lookup(file, lookup, verifyChecksums);
    }
}
