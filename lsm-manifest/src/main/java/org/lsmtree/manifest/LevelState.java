package org.lsmtree.manifest;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.InternalKeyComparator;

/**
 * What the edits of a MANIFEST add up to: the live table files of each of the seven levels, the
 * log numbers, the next file number, the last sequence, the comparator's name and the compact
 * pointers. Build it by folding edits with {@link #apply(VersionEdit)} from {@link #empty}; a
 * replay of many edits folds them in one {@link LevelStateBuilder} instead, which checks the same
 * invariants after every edit without copying the state each time.
 *
 * <p>Layout: per level, an immutable list of files sorted by smallest internal key, then by
 * number (LevelDB's order, level 0 included); an index from file number to level; scalars that
 * read 0 until an edit sets them ({@link #missingFields()} tells which required ones were never set).
 *
 * <p>Invariants, checked by {@link #apply}: a file number is live at most once; files of levels
 * 1 to 6 do not overlap under the comparator (each file's largest key sorts before the next
 * file's smallest); every file's smallest key sorts at or before its largest; once a next file
 * number is known, every file number ever added is below it; the log number never decreases; a
 * recorded comparator name is the comparator's.
 *
 * <p>Immutable and thread-safe.
 */
public final class LevelState {
    /** The fields a complete MANIFEST must set (LevelDB refuses to open without them). */
    static final List<String> REQUIRED_FIELDS = List.of("log number", "next file number", "last sequence");

    final InternalKeyComparator comparator;
    final ImmutableList<ImmutableList<FileMetadata>> levels;
    final ImmutableMap<Long, Integer> levelOfFile;
    final ImmutableSortedMap<Integer, byte[]> compactPointers;
    final String comparatorName;
    final Long logNumber;
    final Long previousLogNumber;
    final Long nextFileNumber;
    final Long lastSequence;
    /** The largest file number any edit folded into this state added, or -1. */
    final long largestFileNumberAdded;

    LevelState(InternalKeyComparator comparator, ImmutableList<ImmutableList<FileMetadata>> levels,
            ImmutableMap<Long, Integer> levelOfFile, ImmutableSortedMap<Integer, byte[]> compactPointers,
            String comparatorName, Long logNumber, Long previousLogNumber, Long nextFileNumber,
            Long lastSequence, long largestFileNumberAdded) {
        assert levels.size() == ManifestFormat.NUM_LEVELS;
        this.comparator = comparator;
        this.levels = levels;
        this.levelOfFile = levelOfFile;
        this.compactPointers = compactPointers;
        this.comparatorName = comparatorName;
        this.logNumber = logNumber;
        this.previousLogNumber = previousLogNumber;
        this.nextFileNumber = nextFileNumber;
        this.lastSequence = lastSequence;
        this.largestFileNumberAdded = largestFileNumberAdded;
    }

    /** No files, nothing set, ordered by {@code comparator}. */
    public static LevelState empty(InternalKeyComparator comparator) {
        ImmutableList<FileMetadata> none = ImmutableList.of();
        return new LevelState(checkNotNull(comparator, "comparator"),
                ImmutableList.copyOf(java.util.Collections.nCopies(ManifestFormat.NUM_LEVELS, none)),
                ImmutableMap.of(), ImmutableSortedMap.of(), null, null, null, null, null, -1);
    }

    /**
     * The state after {@code edit}: deletions first, then additions, then the scalars and compact
     * pointers. An edit that breaks an invariant (see the class comment) is a
     * {@link CorruptionException} without file or offset, which the caller that knows where the
     * edit lies relocates ({@link CorruptionException#locatedAt}); this state is unchanged either way.
     */
    public LevelState apply(VersionEdit edit) throws CorruptionException {
        return new LevelStateBuilder(this).apply(edit).build();
    }

    /** The order of internal keys the files are kept in. */
    public InternalKeyComparator comparator() {
        return comparator;
    }

    /** The files at {@code level}, sorted by smallest key, then number. */
    public List<FileMetadata> files(int level) {
        checkArgument(ManifestFormat.isLevel(level), "level %s is not in 0..6", level);
        return levels.get(level);
    }

    public int fileCount(int level) {
        return files(level).size();
    }

    /** The total size in bytes of the files at {@code level}. */
    public long bytes(int level) {
        return files(level).stream().mapToLong(FileMetadata::size).sum();
    }

    /** Every live file number with its level, ascending by number. */
    public Map<Long, Integer> liveFiles() {
        return ImmutableSortedMap.copyOf(levelOfFile);
    }

    /** The level of live file {@code number}, or empty when no level holds it. */
    public Optional<Integer> levelOf(long number) {
        return Optional.ofNullable(levelOfFile.get(number));
    }

    public Optional<String> comparatorName() {
        return Optional.ofNullable(comparatorName);
    }

    /** The log number (logs older than it are obsolete), 0 until set. */
    public long logNumber() {
        return logNumber == null ? 0 : logNumber;
    }

    /** The log number of the log being compacted when it was recorded, 0 when none or unset. */
    public long previousLogNumber() {
        return previousLogNumber == null ? 0 : previousLogNumber;
    }

    /** The next file number to hand out, 0 until set. */
    public long nextFileNumber() {
        return nextFileNumber == null ? 0 : nextFileNumber;
    }

    /** The last sequence number recorded, 0 until set. */
    public long lastSequence() {
        return lastSequence == null ? 0 : lastSequence;
    }

    /** The compact pointer of each level that has one (encoded internal keys, copied). */
    public Map<Integer, byte[]> compactPointers() {
        ImmutableSortedMap.Builder<Integer, byte[]> copy = ImmutableSortedMap.naturalOrder();
        compactPointers.forEach((level, key) -> copy.put(level, key.clone()));
        return copy.build();
    }

    /** The required fields no edit has set yet ("log number", "next file number", "last sequence"). */
    public List<String> missingFields() {
        List<String> missing = new ArrayList<>();
        if (logNumber == null) {
            missing.add(REQUIRED_FIELDS.get(0));
        }
        if (nextFileNumber == null) {
            missing.add(REQUIRED_FIELDS.get(1));
        }
        if (lastSequence == null) {
            missing.add(REQUIRED_FIELDS.get(2));
        }
        return missing;
    }

    /**
     * One edit that rebuilds this whole state from {@link #empty}: the comparator's name, every
     * set scalar, the compact pointers, and every file at its level. A new MANIFEST starts with it.
     */
    public VersionEdit toSnapshotEdit() {
        VersionEdit edit = new VersionEdit().setComparatorName(comparator.userComparator().name());
        if (logNumber != null) {
            edit.setLogNumber(logNumber);
        }
        if (previousLogNumber != null) {
            edit.setPreviousLogNumber(previousLogNumber);
        }
        if (nextFileNumber != null) {
            edit.setNextFileNumber(nextFileNumber);
        }
        if (lastSequence != null) {
            edit.setLastSequence(lastSequence);
        }
        compactPointers.forEach(edit::addCompactPointer);
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            for (FileMetadata file : levels.get(level)) {
                edit.addFile(level, file);
            }
        }
        return edit;
    }

    /**
     * The files of every level in the text LevelDB's {@code leveldb.sstables} property gives:
     * {@code --- level N ---} then one {@code  number:size['key' @ seq : type .. 'key' @ seq : type]}
     * line per file.
     */
    public String describeFiles() {
        StringBuilder text = new StringBuilder();
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            text.append("--- level ").append(level).append(" ---\n");
            for (FileMetadata file : levels.get(level)) {
                text.append(' ').append(file).append('\n');
            }
        }
        return text.toString();
    }

    /** Equal when the files, scalars (set or not), compact pointers and comparator names are. */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof LevelState)) {
            return false;
        }
        LevelState that = (LevelState) other;
        return comparator.userComparator().name().equals(that.comparator.userComparator().name())
                && levels.equals(that.levels) && Objects.equals(comparatorName, that.comparatorName)
                && Objects.equals(logNumber, that.logNumber)
                && Objects.equals(previousLogNumber, that.previousLogNumber)
                && Objects.equals(nextFileNumber, that.nextFileNumber)
                && Objects.equals(lastSequence, that.lastSequence)
                && samePointers(compactPointers, that.compactPointers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(levels, logNumber, nextFileNumber, lastSequence);
    }

    @Override
    public String toString() {
        return "LevelState{comparator=" + comparatorName + ", log=" + logNumber + ", prevLog=" + previousLogNumber
                + ", nextFile=" + nextFileNumber + ", lastSeq=" + lastSequence + "}\n" + describeFiles();
    }

    private static boolean samePointers(Map<Integer, byte[]> a, Map<Integer, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
    }
}
