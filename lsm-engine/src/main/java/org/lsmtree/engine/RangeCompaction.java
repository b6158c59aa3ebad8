package org.lsmtree.engine;

import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;

/**
 * Plans a manual compaction of a user-key range ({@link Db#compactRange}) as one merge: every
 * file of every level that meets the range goes into a single {@link Compaction} whose outputs
 * land at the deepest level holding any of them (level 1 at least). LevelDB instead compacts
 * level by level, each level into the next, so data from level 0 is rewritten once per level it
 * passes through: a full compaction of a store filled at random wrote its data about twice. One
 * merge writes each surviving entry once.
 *
 * <p>Why it is correct: the range is widened to a fixed point, until no file of any level
 * meets it without being an input (level-0 files overlap each other, and a level's files may
 * reach past the range). Then every entry of every user key in the widened range is an input,
 * so the merge sees all versions of each key and drops what no snapshot needs; no file left at
 * any level meets the range, so the outputs overlap no file of the output level and no newer
 * entry is left above older ones it should shadow; and no level below the output level holds a
 * key of the range, so tombstones every snapshot sees can go. The outputs are cut at the target
 * file size between user keys ({@link TableWriting}).
 *
 * <p>When only the output level itself holds files of the range there is nothing to merge down
 * and no compaction is planned (as before: a compacted store is not rewritten again).
 *
 * <p>Stateless apart from its picker and options; thread-safe.
 */
final class RangeCompaction {
    private final CompactionPicker picker;
    private final UserComparator userComparator;
    private final long maxGrandparentOverlap;

    RangeCompaction(CompactionPicker picker, Options options) {
        this.picker = picker;
        this.userComparator = options.comparator();
        this.maxGrandparentOverlap = 10 * options.targetFileSize();
    }

    /** The one compaction of {@code [begin, end]} (user keys, null: unbounded) in {@code version}, or null. */
    Compaction plan(Version version, byte[] begin, byte[] end) {
        LevelState state = version.state();
        List<List<FileMetadata>> chosen;
        byte[] low = begin;
        byte[] high = end;
        boolean widened;
        do {
            chosen = new ArrayList<>();
            List<FileMetadata> all = new ArrayList<>();
            for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
                List<FileMetadata> files = picker.overlapping(state.files(level), low, high);
                chosen.add(files);
                all.addAll(files);
            }
            if (all.isEmpty()) {
                return null;
            }
            byte[] smallest = picker.smallestUserKey(all);
            byte[] largest = picker.largestUserKey(all);
            widened = false;
            if (low != null && userComparator.compare(smallest, low) < 0) {
                low = smallest;
                widened = true;
            }
            if (high != null && userComparator.compare(largest, high) > 0) {
                high = largest;
                widened = true;
            }
        } while (widened);
        int outputLevel = 1;
        for (int level = 1; level < ManifestFormat.NUM_LEVELS; level++) {
            if (!chosen.get(level).isEmpty()) {
                outputLevel = level;
            }
        }
        boolean above = false;
        for (int level = 0; level < outputLevel; level++) {
            above |= !chosen.get(level).isEmpty();
        }
        if (!above) {
            return null;
        }
        List<FileMetadata> grandparents = outputLevel + 1 < ManifestFormat.NUM_LEVELS
                ? picker.overlapping(state.files(outputLevel + 1), low, high) : List.of();
        assert grandparents.isEmpty() : "the widened range meets no file below the output level";
        return Compaction.intoLevel(version, chosen, outputLevel, grandparents, maxGrandparentOverlap);
    }
}
