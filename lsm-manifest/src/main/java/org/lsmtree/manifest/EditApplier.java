package org.lsmtree.manifest;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.InternalKeyComparator;

/**
 * Folds one {@link VersionEdit} into a {@link LevelState}, checking every invariant the state
 * documents; a violation is a {@link CorruptionException} with no location. Works on copies of
 * the levels the edit touches, so the base state is never changed and an edit applies whole or
 * not at all. One use per edit; not thread-safe.
 */
final class EditApplier {
    private final LevelState base;
    private final InternalKeyComparator comparator;
    private final Comparator<FileMetadata> fileOrder;
    private final List<List<FileMetadata>> levels;
    private final boolean[] touched = new boolean[ManifestFormat.NUM_LEVELS];
    private final Map<Long, Integer> levelOfFile;

    EditApplier(LevelState base) {
        this.base = base;
        this.comparator = base.comparator;
        this.fileOrder = (a, b) -> {
            int bySmallest = comparator.compare(a.smallestKey(), b.smallestKey());
            return bySmallest != 0 ? bySmallest : Long.compare(a.number(), b.number());
        };
        this.levels = new ArrayList<>(base.levels);
        this.levelOfFile = new HashMap<>(base.levelOfFile);
    }

    LevelState apply(VersionEdit edit) throws CorruptionException {
        String expectedName = comparator.userComparator().name();
        if (edit.comparatorName().isPresent() && !edit.comparatorName().get().equals(expectedName)) {
            throw violation("edit records comparator '" + edit.comparatorName().get()
                    + "' but the store is ordered by '" + expectedName + "'");
        }
        Long logNumber = edit.logNumber().isPresent() ? (Long) edit.logNumber().getAsLong() : base.logNumber;
        if (base.logNumber != null && logNumber < base.logNumber) {
            throw violation("log number goes backwards from " + base.logNumber + " to " + logNumber);
        }
        for (VersionEdit.DeletedFile deleted : edit.deletedFiles()) {
            delete(deleted.level(), deleted.number());
        }
        long largestAdded = base.largestFileNumberAdded;
        for (VersionEdit.NewFile added : edit.newFiles()) {
            add(added.level(), added.file());
            largestAdded = Math.max(largestAdded, added.file().number());
        }
        Long nextFile = edit.nextFileNumber().isPresent() ? (Long) edit.nextFileNumber().getAsLong()
                : base.nextFileNumber;
        if (nextFile != null && largestAdded >= nextFile) {
            throw violation("file " + largestAdded + " is not below the next file number " + nextFile);
        }
        TreeMap<Integer, byte[]> pointers = new TreeMap<>(base.compactPointers);
        for (VersionEdit.CompactPointer pointer : edit.compactPointers()) {
            pointers.put(pointer.level(), pointer.key());
        }
        return new LevelState(comparator, frozenLevels(), ImmutableMap.copyOf(levelOfFile),
                ImmutableSortedMap.copyOf(pointers),
                edit.comparatorName().orElse(base.comparatorName), logNumber,
                edit.previousLogNumber().isPresent() ? (Long) edit.previousLogNumber().getAsLong()
                        : base.previousLogNumber,
                nextFile,
                edit.lastSequence().isPresent() ? (Long) edit.lastSequence().getAsLong() : base.lastSequence,
                largestAdded);
    }

    private void delete(int level, long number) throws CorruptionException {
        Integer actual = levelOfFile.get(number);
        if (actual == null || actual != level) {
            throw violation("deletes file " + number + " from level " + level + ", which does not hold it"
                    + (actual == null ? " (no level does)" : " (level " + actual + " does)"));
        }
        List<FileMetadata> files = mutableLevel(level);
        boolean removed = files.removeIf(f -> f.number() == number);
        assert removed : "index and level lists agree";
        levelOfFile.remove(number);
    }

    private void add(int level, FileMetadata file) throws CorruptionException {
        Integer existing = levelOfFile.get(file.number());
        if (existing != null) {
            throw violation("adds file " + file.number() + " at level " + level + " but it is already live at level "
                    + existing);
        }
        if (comparator.compare(file.smallestKey(), file.largestKey()) > 0) {
            throw violation("file " + file.number() + " has smallest key " + KeyRender.internal(file.smallestKey())
                    + " after its largest " + KeyRender.internal(file.largestKey()));
        }
        List<FileMetadata> files = mutableLevel(level);
        int position = -Collections.binarySearch(files, file, fileOrder) - 1;
        assert position >= 0 : "numbers are unique, so the file is not found";
        if (level > 0) {
            if (position > 0) {
                checkDisjoint(level, files.get(position - 1), file);
            }
            if (position < files.size()) {
                checkDisjoint(level, file, files.get(position));
            }
        }
        files.add(position, file);
        levelOfFile.put(file.number(), level);
    }

    /** Levels 1 and up: {@code before} must end strictly before {@code after} begins. */
    private void checkDisjoint(int level, FileMetadata before, FileMetadata after) throws CorruptionException {
        if (comparator.compare(before.largestKey(), after.smallestKey()) >= 0) {
            throw violation("files " + before.number() + " " + before + " and " + after.number() + " " + after
                    + " overlap at level " + level);
        }
    }

    private List<FileMetadata> mutableLevel(int level) {
        if (!touched[level]) {
            levels.set(level, new ArrayList<>(levels.get(level)));
            touched[level] = true;
        }
        return levels.get(level);
    }

    private ImmutableList<ImmutableList<FileMetadata>> frozenLevels() {
        ImmutableList.Builder<ImmutableList<FileMetadata>> frozen = ImmutableList.builder();
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            frozen.add(touched[level] ? ImmutableList.copyOf(levels.get(level)) : base.levels.get(level));
        }
        return frozen.build();
    }

    private static CorruptionException violation(String reason) {
        return new CorruptionException(null, CorruptionException.UNKNOWN_OFFSET, reason);
    }
}
