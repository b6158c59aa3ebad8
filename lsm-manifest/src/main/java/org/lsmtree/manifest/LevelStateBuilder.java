package org.lsmtree.manifest;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.ImmutableSortedSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.InternalKeyComparator;

/**
 * Folds {@link VersionEdit}s into a {@link LevelState}, checking every invariant the state
 * documents after each edit; a violation is a {@link CorruptionException} with no location. The
 * levels an edit touches live in sorted sets and the file index in hash maps, all mutable, and
 * the immutable state is built once at the end, so replaying a MANIFEST of n edits costs
 * O(n log n) instead of a copy of the whole state per edit (the idea of LevelDB's
 * {@code VersionSet::Builder}, which accumulates edits before building a version).
 *
 * <p>Each {@link #apply} is whole or nothing: a rejected edit is undone, so a verifier can skip it
 * and go on. The base state is never changed. {@link #filesCopied()} counts the file entries
 * copied between the immutable and the mutable forms, the work a replay's tests bound.
 *
 * <p>Not thread-safe.
 */
final class LevelStateBuilder {
    private final LevelState base;
    private final InternalKeyComparator comparator;
    private final Comparator<FileMetadata> fileOrder;
    /** The levels changed so far, sorted as {@link LevelState} keeps them; null while a level is the base's. */
    private final List<TreeSet<FileMetadata>> levels = new ArrayList<>();
    /** Every live file number with its level; null until the first file is added or deleted. */
    private HashMap<Long, Integer> levelOfFile;
    /** The live files of the changed levels, by number. */
    private final HashMap<Long, FileMetadata> changedFiles = new HashMap<>();
    private TreeMap<Integer, byte[]> compactPointers;
    private String comparatorName;
    private Long logNumber;
    private Long previousLogNumber;
    private Long nextFileNumber;
    private Long lastSequence;
    private long largestFileNumberAdded;
    private long filesCopied;

    // What the edit being applied changed, to undo it when it is rejected.
    private final List<Placed> deletedInEdit = new ArrayList<>();
    private final List<Placed> addedInEdit = new ArrayList<>();

    private record Placed(int level, FileMetadata file) {}

    LevelStateBuilder(LevelState base) {
        this.base = base;
        this.comparator = base.comparator;
        this.fileOrder = (a, b) -> {
            int bySmallest = comparator.compare(a.smallestKey(), b.smallestKey());
            return bySmallest != 0 ? bySmallest : Long.compare(a.number(), b.number());
        };
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            levels.add(null);
        }
        this.comparatorName = base.comparatorName;
        this.logNumber = base.logNumber;
        this.previousLogNumber = base.previousLogNumber;
        this.nextFileNumber = base.nextFileNumber;
        this.lastSequence = base.lastSequence;
        this.largestFileNumberAdded = base.largestFileNumberAdded;
    }

    /**
     * Folds {@code edit} in: deletions first, then additions, then the scalars and compact
     * pointers. An edit that breaks an invariant is a {@link CorruptionException} and changes nothing.
     */
    LevelStateBuilder apply(VersionEdit edit) throws CorruptionException {
        String expectedName = comparator.userComparator().name();
        if (edit.comparatorName().isPresent() && !edit.comparatorName().get().equals(expectedName)) {
            throw violation("edit records comparator '" + edit.comparatorName().get()
                    + "' but the store is ordered by '" + expectedName + "'");
        }
        Long newLogNumber = edit.logNumber().isPresent() ? (Long) edit.logNumber().getAsLong() : logNumber;
        if (logNumber != null && newLogNumber < logNumber) {
            throw violation("log number goes backwards from " + logNumber + " to " + newLogNumber);
        }
        deletedInEdit.clear();
        addedInEdit.clear();
        long largestAdded = largestFileNumberAdded;
        Long nextFile = edit.nextFileNumber().isPresent() ? (Long) edit.nextFileNumber().getAsLong() : nextFileNumber;
        try {
            for (VersionEdit.DeletedFile deleted : edit.deletedFiles()) {
                delete(deleted.level(), deleted.number());
            }
            for (VersionEdit.NewFile added : edit.newFiles()) {
                add(added.level(), added.file());
                largestAdded = Math.max(largestAdded, added.file().number());
            }
            if (nextFile != null && largestAdded >= nextFile) {
                throw violation("file " + largestAdded + " is not below the next file number " + nextFile);
            }
        } catch (CorruptionException e) {
            undoEdit();
            throw e;
        }
        largestFileNumberAdded = largestAdded;
        nextFileNumber = nextFile;
        logNumber = newLogNumber;
        comparatorName = edit.comparatorName().orElse(comparatorName);
        if (edit.previousLogNumber().isPresent()) {
            previousLogNumber = edit.previousLogNumber().getAsLong();
        }
        if (edit.lastSequence().isPresent()) {
            lastSequence = edit.lastSequence().getAsLong();
        }
        if (!edit.compactPointers().isEmpty()) {
            if (compactPointers == null) {
                compactPointers = new TreeMap<>(base.compactPointers);
            }
            for (VersionEdit.CompactPointer pointer : edit.compactPointers()) {
                compactPointers.put(pointer.level(), pointer.key());
            }
        }
        return this;
    }

    /** The state the edits applied so far add up to. The builder may go on after it. */
    LevelState build() {
        ImmutableList.Builder<ImmutableList<FileMetadata>> frozen = ImmutableList.builder();
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            TreeSet<FileMetadata> files = levels.get(level);
            if (files == null) {
                frozen.add(base.levels.get(level));
            } else {
                filesCopied += files.size();
                frozen.add(ImmutableList.copyOf(files));
            }
        }
        ImmutableMap<Long, Integer> index = base.levelOfFile;
        if (levelOfFile != null) {
            filesCopied += levelOfFile.size();
            index = ImmutableMap.copyOf(levelOfFile);
        }
        return new LevelState(comparator, frozen.build(), index,
                compactPointers == null ? base.compactPointers : ImmutableSortedMap.copyOf(compactPointers),
                comparatorName, logNumber, previousLogNumber, nextFileNumber, lastSequence, largestFileNumberAdded);
    }

    /** File entries copied so far between the immutable state and the mutable levels and index. */
    @VisibleForTesting
    long filesCopied() {
        return filesCopied;
    }

    private void delete(int level, long number) throws CorruptionException {
        Integer actual = index().get(number);
        if (actual == null || actual != level) {
            throw violation("deletes file " + number + " from level " + level + ", which does not hold it"
                    + (actual == null ? " (no level does)" : " (level " + actual + " does)"));
        }
        TreeSet<FileMetadata> files = mutableLevel(level);
        FileMetadata file = changedFiles.remove(number);
        checkState(file != null && files.remove(file), "the index and level %s disagree about file %s",
                level, number);
        levelOfFile.remove(number);
        deletedInEdit.add(new Placed(level, file));
    }

    private void add(int level, FileMetadata file) throws CorruptionException {
        Integer existing = index().get(file.number());
        if (existing != null) {
            throw violation("adds file " + file.number() + " at level " + level + " but it is already live at level "
                    + existing);
        }
        if (comparator.compare(file.smallestKey(), file.largestKey()) > 0) {
            throw violation("file " + file.number() + " has smallest key " + KeyRender.internal(file.smallestKey())
                    + " after its largest " + KeyRender.internal(file.largestKey()));
        }
        TreeSet<FileMetadata> files = mutableLevel(level);
        if (level > 0) {
            FileMetadata before = files.lower(file);
            if (before != null) {
                checkDisjoint(level, before, file);
            }
            FileMetadata after = files.higher(file);
            if (after != null) {
                checkDisjoint(level, file, after);
            }
        }
        files.add(file);
        changedFiles.put(file.number(), file);
        levelOfFile.put(file.number(), level);
        addedInEdit.add(new Placed(level, file));
    }

    /** Puts back what the rejected edit deleted and takes out what it added. */
    private void undoEdit() {
        for (int i = addedInEdit.size() - 1; i >= 0; i--) {
            Placed added = addedInEdit.get(i);
            levels.get(added.level()).remove(added.file());
            changedFiles.remove(added.file().number());
            levelOfFile.remove(added.file().number());
        }
        for (int i = deletedInEdit.size() - 1; i >= 0; i--) {
            Placed deleted = deletedInEdit.get(i);
            levels.get(deleted.level()).add(deleted.file());
            changedFiles.put(deleted.file().number(), deleted.file());
            levelOfFile.put(deleted.file().number(), deleted.level());
        }
    }

    /** Levels 1 and up: {@code before} must end strictly before {@code after} begins. */
    private void checkDisjoint(int level, FileMetadata before, FileMetadata after) throws CorruptionException {
        if (comparator.compare(before.largestKey(), after.smallestKey()) >= 0) {
            throw violation("files " + before.number() + " " + before + " and " + after.number() + " " + after
                    + " overlap at level " + level);
        }
    }

    /** The live file index, copied from the base on first use. */
    private Map<Long, Integer> index() {
        if (levelOfFile == null) {
            levelOfFile = new HashMap<>(base.levelOfFile);
            filesCopied += levelOfFile.size();
        }
        return levelOfFile;
    }

    /**
     * The mutable set of {@code level}, made from the base's sorted list on first use: in linear
     * time, since a tree set built from a sorted set of the same order needs no comparisons.
     */
    private TreeSet<FileMetadata> mutableLevel(int level) {
        index();
        TreeSet<FileMetadata> files = levels.get(level);
        if (files == null) {
            ImmutableList<FileMetadata> baseFiles = base.levels.get(level);
            files = new TreeSet<>(ImmutableSortedSet.copyOf(fileOrder, baseFiles));
            for (FileMetadata file : baseFiles) {
                changedFiles.put(file.number(), file);
            }
            filesCopied += 2L * baseFiles.size();
            levels.set(level, files);
        }
        return files;
    }

    private static CorruptionException violation(String reason) {
        return new CorruptionException(null, CorruptionException.UNKNOWN_OFFSET, reason);
    }
}
