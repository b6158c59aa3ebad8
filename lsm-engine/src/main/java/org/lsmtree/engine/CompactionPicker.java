package org.lsmtree.engine;

import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;

/**
 * Chooses the files of a compaction by LevelDB's rules. Each level gets a score: level 0 its file
 * count over the compaction trigger (its files overlap, so every read probes each one), a deeper
 * level its bytes over its size limit ({@link Options#maxBytesForLevel}); the level of the highest
 * score at or above 1 is compacted, starting with its first file past the level's compact pointer
 * (round robin over the key space; the pointer is in the MANIFEST, so it survives a reopen).
 * When no score reaches 1, a table that reads spent the seek budget of ({@link SeekCompactions})
 * is compacted instead, as one input file (a manual compaction of a key range is planned by
 * {@link RangeCompaction}). In every case the inputs are widened so that every file of the
 * level the inputs' user keys reach is an input (level-0 files overlap each other, and deeper
 * files may split one user key's entries at their boundary, as LevelDB writes them), and the same
 * for the overlapped files of the next level, since moving only part of a user key's entries down
 * would let older ones shadow newer.
 *
 * <p>Stateless apart from its comparator and the store's {@link SeekCompactions} it asks; thread-safe.
 */
final class CompactionPicker {
    /** LevelDB's {@code kMaxMemCompactLevel}: a flushed memtable goes no deeper than level 2. */
    static final int MAX_FLUSH_LEVEL = 2;

    private final UserComparator userComparator;
    private final Options options;
    /** Null when the store has no seek compactions. */
    private final SeekCompactions seeks;

    CompactionPicker(Options options) {
        this(options, null);
    }

    CompactionPicker(Options options, SeekCompactions seeks) {
        this.userComparator = options.comparator();
        this.options = options;
        this.seeks = seeks;
    }

    /** The score of {@code level}: at 1 or above it needs a compaction. */
    double score(LevelState state, int level) {
        return level == 0
                ? state.fileCount(0) / (double) options.levelZeroCompactionTrigger()
                : state.bytes(level) / options.maxBytesForLevel(level);
    }

    /** The level of the highest score (the deepest level never counts: it has nowhere to go). */
    int levelToCompact(LevelState state) {
        int best = 0;
        for (int level = 1; level < ManifestFormat.NUM_LEVELS - 1; level++) {
            if (score(state, level) > score(state, best)) {
                best = level;
            }
        }
        return best;
    }

    /** Whether some level's score is at or above 1, or a table's seek budget ran out. */
    boolean needsCompaction(LevelState state) {
        return score(state, levelToCompact(state)) >= 1 || seeks != null && seeks.target(state) != null;
    }

    /**
     * The compaction the scores ask for; else the seek compaction of the table whose seek budget
     * ran out; else null.
     */
    Compaction pick(Version version) {
        LevelState state = version.state();
        int level = levelToCompact(state);
        if (score(state, level) < 1) {
            SeekCompactions.Target target = seeks == null ? null : seeks.target(state);
            return target == null ? null : setUp(version, target.level(), List.of(target.file()), true);
        }
        List<FileMetadata> files = state.files(level);
        byte[] pointer = state.compactPointers().get(level);
        FileMetadata first = files.get(0); // wraps around to the start of the key space
        for (FileMetadata file : files) {
            if (pointer == null || state.comparator().compare(file.largest(), pointer) > 0) {
                first = file;
                break;
            }
        }
        return setUp(version, level, List.of(first), false);
    }

    /**
     * The level a flushed memtable holding {@code [smallest, largest]} (user keys) goes to:
     * level 0 if it overlaps a level-0 file, else the deepest level up to {@link #MAX_FLUSH_LEVEL}
     * reached without overlapping a file of the next level or too many bytes of the one after.
     */
    int levelForFlush(LevelState state, byte[] smallest, byte[] largest) {
        int level = 0;
        if (!overlapping(state.files(0), smallest, largest).isEmpty()) {
            return level;
        }
        while (level < MAX_FLUSH_LEVEL) {
            if (!overlapping(state.files(level + 1), smallest, largest).isEmpty()) {
                break;
            }
            if (level + 2 < ManifestFormat.NUM_LEVELS && Compaction.totalBytes(
                    overlapping(state.files(level + 2), smallest, largest)) > maxGrandparentOverlap()) {
                break;
            }
            level++;
        }
        return level;
    }

    private long maxGrandparentOverlap() {
        return 10 * options.targetFileSize();
    }

    /**
     * Widens {@code inputs} to whole user keys, adds the overlapped files of the next level, grows
     * the inputs where that takes in no more files below (up to 25 target sizes in all, as
     * LevelDB), and finds the grandparents (the files of the level after) the outputs will meet.
     */
    private Compaction setUp(Version version, int level, List<FileMetadata> inputs, boolean forSeeks) {
        LevelState state = version.state();
        inputs = widened(state.files(level), inputs);
        List<FileMetadata> overlapped = below(state, level, inputs);
        if (!overlapped.isEmpty()) {
            List<FileMetadata> all = new ArrayList<>(inputs);
            all.addAll(overlapped);
            List<FileMetadata> grown = widened(state.files(level),
                    overlapping(state.files(level), smallestUserKey(all), largestUserKey(all)));
            if (grown.size() > inputs.size()
                    && Compaction.totalBytes(grown) + Compaction.totalBytes(overlapped) < 25 * options.targetFileSize()
                    && below(state, level, grown).size() == overlapped.size()) {
                inputs = grown;
            }
        }
        List<FileMetadata> grandparents = List.of();
        List<FileMetadata> all = new ArrayList<>(inputs);
        all.addAll(overlapped);
        if (level + 2 < ManifestFormat.NUM_LEVELS) {
            grandparents = overlapping(state.files(level + 2), smallestUserKey(all), largestUserKey(all));
        }
        byte[] pointer = null;
        for (FileMetadata file : inputs) {
            if (pointer == null || state.comparator().compare(file.largest(), pointer) > 0) {
                pointer = file.largest();
            }
        }
        return new Compaction(version, level, inputs, overlapped, grandparents, pointer, maxGrandparentOverlap(), forSeeks);
    }

    /** The files of {@code level + 1} that {@code inputs} overlap, widened to whole user keys. */
    private List<FileMetadata> below(LevelState state, int level, List<FileMetadata> inputs) {
        List<FileMetadata> overlapped = overlapping(state.files(level + 1), smallestUserKey(inputs),
                largestUserKey(inputs));
        return overlapped.isEmpty() ? overlapped : widened(state.files(level + 1), overlapped);
    }

    /** The files of {@code files} reached by the user keys of {@code chosen}, to a fixed point. */
    private List<FileMetadata> widened(List<FileMetadata> files, List<FileMetadata> chosen) {
        int before;
        do {
            before = chosen.size();
            chosen = overlapping(files, smallestUserKey(chosen), largestUserKey(chosen));
        } while (chosen.size() != before);
        return chosen;
    }

    /** The files of {@code files} whose user-key range meets {@code [begin, end]} (null: unbounded). */
    List<FileMetadata> overlapping(List<FileMetadata> files, byte[] begin, byte[] end) {
        List<FileMetadata> result = new ArrayList<>();
        for (FileMetadata file : files) {
            byte[] smallest = InternalKey.userKeyOf(file.smallest());
            byte[] largest = InternalKey.userKeyOf(file.largest());
            if ((begin == null || userComparator.compare(largest, begin) >= 0)
                    && (end == null || userComparator.compare(smallest, end) <= 0)) {
                result.add(file);
            }
        }
        return result;
    }

    byte[] smallestUserKey(List<FileMetadata> files) {
        byte[] smallest = null;
        for (FileMetadata file : files) {
            byte[] key = InternalKey.userKeyOf(file.smallest());
            if (smallest == null || userComparator.compare(key, smallest) < 0) {
                smallest = key;
            }
        }
        return smallest;
    }

    byte[] largestUserKey(List<FileMetadata> files) {
        byte[] largest = null;
        for (FileMetadata file : files) {
            byte[] key = InternalKey.userKeyOf(file.largest());
            if (largest == null || userComparator.compare(key, largest) > 0) {
                largest = key;
            }
        }
        return largest;
    }
}
