package org.lsmtree.engine;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.SliceComparator;
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
 * apart from its reference count: a reader or iterator that uses a version holds a reference, and
 * the files of a version are not deleted while it is referenced.
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
    private final SliceComparator userKeys;

    Version(LevelState state, TableCache tables, Consumer<Version> onRelease) {
        this.state = state;
        this.comparator = state.comparator();
        this.tables = tables;
        this.onRelease = onRelease;
        this.userKeys = SliceComparator.forUserKeys(comparator.userComparator());
        levels[0] = LevelFiles.newestFirst(state.files(0));
        for (int level = 1; level < levels.length; level++) {
            levels[level] = LevelFiles.inKeyOrder(state.files(level), comparator);
        }
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
     * whose range holds it. Allocates nothing itself; the value is the fresh array the table made.
     */
    byte[] get(byte[] userKey, long snapshot, boolean verifyChecksums) throws IOException {
        byte[] lookup = LookupKey.of(userKey, snapshot);
        UserComparator order = comparator.userComparator();
        LevelFiles zero = levels[0];
        for (int i = 0; i < zero.size(); i++) {
            if (zero.covers(i, userKey, order)) {
                byte[] value = lookIn(zero.file(i), lookup, verifyChecksums);
                if (value != null) {
                    return value == TableFormat.TOMBSTONE ? null : value;
                }
            }
        }
        for (int level = 1; level < levels.length; level++) {
            LevelFiles files = levels[level];
            int index = files.firstEndingAtOrAfter(lookup, comparator);
            if (index >= 0 && files.covers(index, userKey, order)) {
                byte[] value = lookIn(files.file(index), lookup, verifyChecksums);
                if (value != null) {
                    return value == TableFormat.TOMBSTONE ? null : value;
                }
            }
        }
        return null;
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
