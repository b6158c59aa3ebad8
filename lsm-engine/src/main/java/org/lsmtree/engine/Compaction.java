package org.lsmtree.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.MergingIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.ManifestFormat;
import org.lsmtree.manifest.VersionEdit;

/**
 * One compaction: merges the chosen files of level {@code level} with the files of
 * {@code level + 1} they overlap into new files at {@code level + 1}, dropping every entry no
 * reader can see any more:
 * <ul>
 *   <li>an entry shadowed by a newer entry of the same user key that every open snapshot sees
 *       (its sequence is at or below the oldest snapshot);
 *   <li>a tombstone every snapshot sees, when no deeper level (below {@code level + 1}) holds
 *       the key, so nothing older can resurface once it is gone. Keys arrive in order, so the
 *       check walks one pointer per deeper level forward instead of scanning its files per key.
 * </ul>
 * An output file is also cut (between user keys) once it overlaps more than 10 target sizes of
 * the level below its own (the "grandparents"), so that a later compaction of it stays small.
 * A single input with nothing to merge below moves down by a MANIFEST edit alone
 * ({@link #isTrivialMove}). The edit records the compact pointer of the level: the largest key
 * of the inputs, where the next compaction of the level starts. A compaction is either asked for
 * by the scores (or a manual one) or triggered by reads ({@link #forSeeks()}, see
 * {@link SeekCompactions}); both run the same way.
 *
 * <p>Not thread-safe: one thread runs it, without the store's write lock; the version it reads is
 * held (referenced) by the store until it ends.
 */
final class Compaction {
    private final Version version;
    private final int level;
    private final List<FileMetadata> inputs;
    private final List<FileMetadata> overlapped;
    private final List<FileMetadata> grandparents;
    private final byte[] compactPointer;
    private final long maxGrandparentOverlap;
    private final boolean forSeeks;

    Compaction(Version version, int level, List<FileMetadata> inputs, List<FileMetadata> overlapped,
            List<FileMetadata> grandparents, byte[] compactPointer, long maxGrandparentOverlap, boolean forSeeks) {
        this.forSeeks = forSeeks;
        this.version = version;
        this.level = level;
        this.inputs = List.copyOf(inputs);
        this.overlapped = List.copyOf(overlapped);
        this.grandparents = List.copyOf(grandparents);
        this.compactPointer = compactPointer;
        this.maxGrandparentOverlap = maxGrandparentOverlap;
    }

    int level() {
        return level;
    }

    Version version() {
        return version;
    }

    List<FileMetadata> inputs() {
        return inputs;
    }

    List<FileMetadata> overlapped() {
        return overlapped;
    }

    /** Whether reads triggered it: a table whose seek budget ran out ({@link SeekCompactions}). */
    boolean forSeeks() {
        return forSeeks;
    }

    /** LevelDB's rule: one input, nothing overlapped, and little grandparent overlap. */
    boolean isTrivialMove() {
        return inputs.size() == 1 && overlapped.isEmpty() && totalBytes(grandparents) <= maxGrandparentOverlap;
    }

    /** Bytes of every input file, both levels. */
    long inputBytes() {
        return totalBytes(inputs) + totalBytes(overlapped);
    }

    /** The edit that replaces the inputs with {@code outputs} at {@code level + 1}. */
    VersionEdit edit(List<FileMetadata> outputs) {
        VersionEdit edit = new VersionEdit();
        inputs.forEach(file -> edit.deleteFile(level, file.number()));
        overlapped.forEach(file -> edit.deleteFile(level + 1, file.number()));
        outputs.forEach(file -> edit.addFile(level + 1, file));
        if (compactPointer != null) {
            edit.addCompactPointer(level, compactPointer);
        }
        return edit;
    }

    static long totalBytes(List<FileMetadata> files) {
        long bytes = 0;
        for (FileMetadata file : files) {
            bytes += file.size();
        }
        return bytes;
    }

    /** Writes the merged, pruned entries to {@code out}; returns how many entries were dropped. */
    long run(TableCache tables, TableWriting out, long oldestSnapshot, boolean verifyChecksums) throws IOException {
        InternalKeyComparator comparator = version.state().comparator();
        UserComparator userComparator = comparator.userComparator();
        List<InternalIterator> sources = new ArrayList<>();
        try {
            List<FileMetadata> files = new ArrayList<>(inputs);
            files.addAll(overlapped);
            for (FileMetadata file : files) { // out-of-order input is damage named by its table, not a builder bug
                sources.add(new OrderCheckingIterator(tables.get(file).iterator(verifyChecksums), comparator,
                        tables.path(file.number()).toString()));
            }
        } catch (IOException | RuntimeException e) {
            for (InternalIterator opened : sources) {
                try {
                    opened.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        out.cutWhere(new GrandparentCut(comparator));
        BaseLevelCheck baseLevel = new BaseLevelCheck(userComparator);
        long dropped = 0;
        try (MergingIterator merged = new MergingIterator(comparator, sources)) {
            byte[] currentUserKey = null;
            long newerSequence = Long.MAX_VALUE; // of the entry before this one for the same user key
            for (merged.seekToFirst(); merged.isValid(); merged.next()) {
                byte[] key = merged.key();
                byte[] userKey = InternalKey.userKeyOf(key);
                long trailer = InternalKey.trailerOf(key);
                long sequence = trailer >>> 8;
                if (currentUserKey == null || userComparator.compare(userKey, currentUserKey) != 0) {
                    currentUserKey = userKey;
                    newerSequence = Long.MAX_VALUE;
                }
                boolean drop = newerSequence <= oldestSnapshot
                        || (trailer & 0xff) == ValueType.DELETE.code() && sequence <= oldestSnapshot
                                && baseLevel.isBaseLevelFor(userKey);
                newerSequence = sequence;
                if (drop) {
                    dropped++;
                } else {
                    out.add(key, merged.value());
                }
            }
        }
        return dropped;
    }

    /**
     * Whether no level below {@code level + 1} may hold a user key. Asked with keys in ascending
     * order: one index per level moves forward past the files that end before the key.
     */
    private final class BaseLevelCheck {
        private final UserComparator userComparator;
        private final int[] positions = new int[ManifestFormat.NUM_LEVELS];

        BaseLevelCheck(UserComparator userComparator) {
            this.userComparator = userComparator;
        }

        boolean isBaseLevelFor(byte[] userKey) {
            for (int deeper = level + 2; deeper < ManifestFormat.NUM_LEVELS; deeper++) {
                List<FileMetadata> files = version.state().files(deeper);
                while (positions[deeper] < files.size()) {
                    FileMetadata file = files.get(positions[deeper]);
                    if (userComparator.compare(userKey, InternalKey.userKeyOf(file.largest())) <= 0) {
                        if (userComparator.compare(userKey, InternalKey.userKeyOf(file.smallest())) >= 0) {
                            return false;
                        }
                        break;
                    }
                    positions[deeper]++;
                }
            }
            return true;
        }
    }

    /** Asks for a cut once the output so far overlaps more than the limit of grandparent bytes. */
    private final class GrandparentCut implements java.util.function.Predicate<byte[]> {
        private final InternalKeyComparator comparator;
        private int index;
        private boolean seenKey;
        private long overlappedBytes;

        GrandparentCut(InternalKeyComparator comparator) {
            this.comparator = comparator;
        }

        @Override
        public boolean test(byte[] internalKey) {
            while (index < grandparents.size() && comparator.compare(internalKey, grandparents.get(index).largest()) > 0) {
                if (seenKey) {
                    overlappedBytes += grandparents.get(index).size();
                }
                index++;
            }
            seenKey = true;
            if (overlappedBytes > maxGrandparentOverlap) {
                overlappedBytes = 0;
                return true;
            }
            return false;
        }
    }
}
