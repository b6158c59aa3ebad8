package org.lsmtree.engine;

import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;

/**
 * Chooses the files of a compaction: for a manual compaction, the files of a level that overlap a
 * key range; in both cases widened so that every file of the level the inputs' user keys reach is
 * an input (level-0 files overlap each other, and deeper files may split one user key's entries
 * at their boundary, as LevelDB writes them), and the same for the overlapped files of the next
 * level, since moving only part of a user key's entries down would let older ones shadow newer.
 *
 * <p>Stateless apart from its comparator; thread-safe.
 */
final class CompactionPicker {
    private final UserComparator userComparator;

    CompactionPicker(UserComparator userComparator) {
        this.userComparator = userComparator;
    }

    /** The compaction of the files of {@code level} meeting {@code [begin, end]} (null: unbounded), or null. */
    Compaction manual(Version version, int level, byte[] begin, byte[] end) {
        List<FileMetadata> inputs = overlapping(version.state().files(level), begin, end);
        return inputs.isEmpty() ? null : setUp(version, level, inputs);
    }

    /** The deepest level, 1 at least, holding keys of {@code [begin, end]}. */
    int deepestLevelHolding(LevelState state, byte[] begin, byte[] end) {
        int deepest = 1;
        for (int level = 1; level < ManifestFormat.NUM_LEVELS; level++) {
            if (!overlapping(state.files(level), begin, end).isEmpty()) {
                deepest = level;
            }
        }
        return deepest;
    }

    /** Widens {@code inputs} to whole user keys and adds the overlapped files of the next level. */
    private Compaction setUp(Version version, int level, List<FileMetadata> inputs) {
        LevelState state = version.state();
        inputs = widened(state.files(level), inputs);
        List<FileMetadata> overlapped = overlapping(state.files(level + 1), smallestUserKey(inputs),
                largestUserKey(inputs));
        if (!overlapped.isEmpty()) {
            overlapped = widened(state.files(level + 1), overlapped);
        }
        return new Compaction(version, level, inputs, overlapped);
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
