package org.lsmtree.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;

/**
 * The tables of one moment of the store, as the MANIFEST describes them, with the reads over
 * them: level 0 newest file first (its files may overlap), then at most one file per deeper level
 * (theirs do not). Immutable apart from its reference count: a reader or iterator that uses a
 * version holds a reference, and the files of a version are not deleted while it is referenced.
 *
 * <p>Thread-safe.
 */
final class Version {
    private final LevelState state;
    private final InternalKeyComparator comparator;
    private final TableCache tables;
    private final AtomicInteger references = new AtomicInteger(1);
    private final Consumer<Version> onRelease;

    Version(LevelState state, TableCache tables, Consumer<Version> onRelease) {
        this.state = state;
        this.comparator = state.comparator();
        this.tables = tables;
        this.onRelease = onRelease;
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

    /** The newest entry for {@code userKey} at {@code snapshot} in the tables. */
    Lookup get(byte[] userKey, long snapshot, boolean verifyChecksums) throws IOException {
        byte[] lookup = InternalKey.encode(userKey, snapshot, ValueType.FOR_SEEK);
        List<FileMetadata> levelZero = new ArrayList<>();
        for (FileMetadata file : state.files(0)) {
            if (covers(file, userKey)) {
                levelZero.add(file);
            }
        }
        levelZero.sort(Comparator.comparingLong(FileMetadata::number).reversed()); // newest first
        for (FileMetadata file : levelZero) {
            Lookup found = lookIn(file, lookup, userKey, verifyChecksums);
            if (found.isSettled()) {
                return found;
            }
        }
        for (int level = 1; level < ManifestFormat.NUM_LEVELS; level++) {
            List<FileMetadata> files = state.files(level);
            int index = firstFileEndingAtOrAfter(files, lookup, comparator);
            FileMetadata file = index < 0 ? null : files.get(index);
            if (file != null && covers(file, userKey)) {
                Lookup found = lookIn(file, lookup, userKey, verifyChecksums);
                if (found.isSettled()) {
                    return found;
                }
            }
        }
        return Lookup.ABSENT;
    }

    /** Iterators over every table: one per level-0 file (newest first), one per deeper level. */
    List<InternalIterator> iterators(boolean verifyChecksums) throws IOException {
        List<InternalIterator> iterators = new ArrayList<>();
        List<FileMetadata> levelZero = new ArrayList<>(state.files(0));
        levelZero.sort(Comparator.comparingLong(FileMetadata::number).reversed());
        try {
            for (FileMetadata file : levelZero) {
                iterators.add(tables.get(file).iterator(verifyChecksums));
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
        for (int level = 1; level < ManifestFormat.NUM_LEVELS; level++) {
            if (!state.files(level).isEmpty()) {
                iterators.add(new LevelIterator(state.files(level), comparator, tables, verifyChecksums));
            }
        }
        return iterators;
    }

    private Lookup lookIn(FileMetadata file, byte[] lookup, byte[] userKey, boolean verifyChecksums)
            throws IOException {
        byte[] value = tables.lookup(file, lookup, verifyChecksums);
        return value == null ? Lookup.ABSENT : value == TableFormat.TOMBSTONE ? Lookup.DELETED : Lookup.found(value);
    }

    /** Whether {@code userKey} lies within the file's key range. */
    private boolean covers(FileMetadata file, byte[] userKey) {
        return comparator.userComparator().compare(userKey, InternalKey.userKeyOf(file.smallest())) >= 0
                && comparator.userComparator().compare(userKey, InternalKey.userKeyOf(file.largest())) <= 0;
    }

    /**
     * The index of the first file of a sorted, non-overlapping level whose largest key is at or
     * after {@code key}, or -1 when every file ends before it.
     */
    static int firstFileEndingAtOrAfter(List<FileMetadata> files, byte[] key, InternalKeyComparator comparator) {
        int low = 0;
        int high = files.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (comparator.compare(files.get(middle).largest(), key) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low < files.size() ? low : -1;
    }
}
