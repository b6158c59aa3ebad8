package org.lsmtree.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.KeyCopy;
import org.lsmtree.format.iterator.MergingIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.iterator.SliceComparator;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
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
 * the level below its own (the "grandparents"), so that a later compaction of it stays small,
 * and where a grandparent ends once it holds half the target size ({@link GrandparentCut}).
 * A single input with nothing to merge below moves down by a MANIFEST edit alone
 * ({@link #isTrivialMove}). The edit records the compact pointer of the level: the largest key
 * of the inputs, where the next compaction of the level starts. A compaction is either asked for
 * by the scores (or a manual one) or triggered by reads ({@link #forSeeks()}, see
 * {@link SeekCompactions}); both run the same way.
 *
 * <p>A manual compaction of a key range ({@link RangeCompaction}) merges files of several levels
 * at once into the deepest of them, the output level: then every level from {@link #level()} down
 * holds inputs, {@link #overlapped()} lists those below {@link #level()}, and the tombstone check
 * looks below the output level.
 *
 * <p>The merge walks the entries as views ({@link Slice}) of the input blocks: the user key of
 * the entry before is kept in a reused {@link KeyCopy}, keys are compared in place, and the
 * tables being written copy each entry once, so nothing is allocated per entry.
 *
 * <p>Not thread-safe: one thread runs it, without the store's write lock; the version it reads is
 * held (referenced) by the store until it ends.
 */
final class Compaction {
    private final Version version;
    private final int level;
    private final int outputLevel;
    /** The input files of each level (empty where a level has none). */
    private final List<List<FileMetadata>> filesByLevel;
    private final List<FileMetadata> grandparents;
    private final byte[] compactPointer;
    private final long maxGrandparentOverlap;
    private final boolean forSeeks;

    Compaction(Version version, int level, List<FileMetadata> inputs, List<FileMetadata> overlapped,
            List<FileMetadata> grandparents, byte[] compactPointer, long maxGrandparentOverlap, boolean forSeeks) {
        this(version, level, level + 1, byLevel(level, inputs, overlapped), grandparents, compactPointer,
                maxGrandparentOverlap, forSeeks);
    }

    private Compaction(Version version, int level, int outputLevel, List<List<FileMetadata>> filesByLevel,
            List<FileMetadata> grandparents, byte[] compactPointer, long maxGrandparentOverlap, boolean forSeeks) {
        this.forSeeks = forSeeks;
        this.version = version;
        this.level = level;
        this.outputLevel = outputLevel;
        this.filesByLevel = filesByLevel;
        this.grandparents = List.copyOf(grandparents);
        this.compactPointer = compactPointer;
        this.maxGrandparentOverlap = maxGrandparentOverlap;
    }

    /**
     * Merges {@code filesByLevel} (the input files of each level, {@link ManifestFormat#NUM_LEVELS}
     * lists) into {@code outputLevel}, which must be at or below every level holding inputs and
     * above {@code level}, the shallowest one. Records no compact pointer.
     */
    static Compaction intoLevel(Version version, List<List<FileMetadata>> filesByLevel, int outputLevel,
            List<FileMetadata> grandparents, long maxGrandparentOverlap) {
        int level = 0;
        while (level < outputLevel && filesByLevel.get(level).isEmpty()) {
            level++;
        }
        if (level >= outputLevel) {
            throw new IllegalArgumentException("no inputs above output level " + outputLevel);
        }
        for (int deeper = outputLevel + 1; deeper < filesByLevel.size(); deeper++) {
            if (!filesByLevel.get(deeper).isEmpty()) {
                throw new IllegalArgumentException("inputs at level " + deeper + ", below output level " + outputLevel);
            }
        }
        List<List<FileMetadata>> copies = new ArrayList<>();
        filesByLevel.forEach(files -> copies.add(List.copyOf(files)));
        return new Compaction(version, level, outputLevel, List.copyOf(copies), grandparents, null,
                maxGrandparentOverlap, false);
    }

    private static List<List<FileMetadata>> byLevel(int level, List<FileMetadata> inputs,
            List<FileMetadata> overlapped) {
        List<List<FileMetadata>> files = new ArrayList<>();
        for (int at = 0; at < ManifestFormat.NUM_LEVELS; at++) {
            files.add(at == level ? List.copyOf(inputs) : at == level + 1 ? List.copyOf(overlapped) : List.of());
        }
        return List.copyOf(files);
    }

    /** The shallowest level holding inputs. */
    int level() {
        return level;
    }

    /** Where the outputs go: {@code level() + 1}, or deeper for a range compaction. */
    int outputLevel() {
        return outputLevel;
    }

    Version version() {
        return version;
    }

    /** The input files of {@link #level()}. */
    List<FileMetadata> inputs() {
        return filesByLevel.get(level);
    }

    /** The input files of the levels below {@link #level()}, shallower levels first. */
    List<FileMetadata> overlapped() {
        List<FileMetadata> files = new ArrayList<>();
        for (int at = level + 1; at <= outputLevel; at++) {
            files.addAll(filesByLevel.get(at));
        }
        return files;
    }

    /** Whether reads triggered it: a table whose seek budget ran out ({@link SeekCompactions}). */
    boolean forSeeks() {
        return forSeeks;
    }

    /** LevelDB's rule: one input, nothing overlapped, and little grandparent overlap. */
    boolean isTrivialMove() {
        return outputLevel == level + 1 && inputs().size() == 1 && overlapped().isEmpty()
                && totalBytes(grandparents) <= maxGrandparentOverlap;
    }

    /** Bytes of every input file, all levels. */
    long inputBytes() {
        return totalBytes(inputs()) + totalBytes(overlapped());
    }

    /** The edit that replaces the inputs with {@code outputs} at {@link #outputLevel()}. */
    VersionEdit edit(List<FileMetadata> outputs) {
        VersionEdit edit = new VersionEdit();
        for (int at = level; at <= outputLevel; at++) {
            int inputLevel = at;
            filesByLevel.get(at).forEach(file -> edit.deleteFile(inputLevel, file.number()));
        }
        outputs.forEach(file -> edit.addFile(outputLevel, file));
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
        SliceComparator userKeys = SliceComparator.forUserKeys(comparator.userComparator());
        List<InternalIterator> sources = new ArrayList<>();
        try {
            List<FileMetadata> files = new ArrayList<>(inputs());
            files.addAll(overlapped());
            for (FileMetadata file : files) { // out-of-order input is damage named by its table, not a builder bug
                sources.add(new OrderCheckingIterator(tables.get(file).iterator(verifyChecksums, false), comparator,
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
        BaseLevelCheck baseLevel = new BaseLevelCheck(userKeys);
        long dropped = 0;
        Slice key = new Slice();
        Slice value = new Slice();
        KeyCopy currentUserKey = new KeyCopy(64);
        try (MergingIterator merged = new MergingIterator(comparator, sources)) {
            boolean first = true;
            long newerSequence = Long.MAX_VALUE; // of the entry before this one for the same user key
            for (merged.seekToFirst(); merged.isValid(); merged.next()) {
                merged.keyView(key);
                int userLength = key.length() - InternalKey.TRAILER_SIZE;
                long trailer = LittleEndian.getFixed64(key.array(), key.offset() + userLength);
                long sequence = trailer >>> 8;
                if (first || userKeys.compare(key.array(), key.offset(), userLength, currentUserKey.array(), 0,
                        currentUserKey.length()) != 0) {
                    currentUserKey.set(key.array(), key.offset(), userLength);
                    newerSequence = Long.MAX_VALUE;
                    first = false;
                }
                boolean drop = newerSequence <= oldestSnapshot
                        || (trailer & 0xff) == ValueType.DELETE.code() && sequence <= oldestSnapshot
                                && baseLevel.isBaseLevelFor(currentUserKey);
                newerSequence = sequence;
                if (drop) {
                    dropped++;
                } else {
                    out.add(key, merged.valueView(value));
                }
            }
        }
        return dropped;
    }

    /**
     * Whether no level below the output level may hold a user key. Asked with keys in ascending
     * order: one index per level moves forward past the files that end before the key. The user
     * keys of the file each index is on are copied once, when the index reaches it
     * ({@link FileMetadata} hands out copies), not per question.
     */
    private final class BaseLevelCheck {
        private final SliceComparator userKeys;
        private final int[] positions = new int[ManifestFormat.NUM_LEVELS];
        /** Per level: the smallest and largest internal key of the file at its position, or null. */
        private final byte[][] smallest = new byte[ManifestFormat.NUM_LEVELS][];
        private final byte[][] largest = new byte[ManifestFormat.NUM_LEVELS][];

        BaseLevelCheck(SliceComparator userKeys) {
            this.userKeys = userKeys;
        }

        boolean isBaseLevelFor(KeyCopy userKey) {
            for (int deeper = outputLevel + 1; deeper < ManifestFormat.NUM_LEVELS; deeper++) {
                List<FileMetadata> files = version.state().files(deeper);
                while (positions[deeper] < files.size()) {
                    if (largest[deeper] == null) {
                        FileMetadata file = files.get(positions[deeper]);
                        smallest[deeper] = file.smallest();
                        largest[deeper] = file.largest();
                    }
                    if (compareToUserKeyOf(userKey, largest[deeper]) <= 0) {
                        if (compareToUserKeyOf(userKey, smallest[deeper]) >= 0) {
                            return false;
                        }
                        break;
                    }
                    positions[deeper]++;
                    largest[deeper] = null;
                }
            }
            return true;
        }

        private int compareToUserKeyOf(KeyCopy userKey, byte[] internalKey) {
            return userKeys.compare(userKey.array(), 0, userKey.length(), internalKey, 0,
                    internalKey.length - InternalKey.TRAILER_SIZE);
        }
    }

    /**
     * Where outputs are cut besides the target size: once the output so far overlaps more than
     * the limit of grandparent bytes (LevelDB's rule, so that a later compaction of it stays
     * small), and at the first key past the end of a grandparent once the output has reached half
     * the target size. The second rule is ours: an output that ends where a file of the next level
     * ends meets no file there in part, so the compaction that later merges it down rewrites no
     * bytes of a neighbouring range with it. In a random fill that saves about a fifth of the
     * bytes written into level 2 (see {@code DbWriteAmplificationTest}); outputs are then between
     * half and one target size.
     */
    private final class GrandparentCut implements TableWriting.CutPolicy {
        private final SliceComparator comparator;
        /** The grandparents' largest keys, copied once ({@link FileMetadata} hands out copies). */
        private final byte[][] largest;
        private int index;
        private boolean seenKey;
        private long overlappedBytes;

        GrandparentCut(InternalKeyComparator comparator) {
            this.comparator = SliceComparator.forInternalKeys(comparator);
            this.largest = new byte[grandparents.size()][];
            for (int i = 0; i < largest.length; i++) {
                largest[i] = grandparents.get(i).largest();
            }
        }

        @Override
        public boolean cutBefore(Slice internalKey, long tableBytes, long targetSize) {
            boolean pastBoundary = false;
            while (index < largest.length && comparator.compare(internalKey, largest[index]) > 0) {
                if (seenKey) {
                    overlappedBytes += grandparents.get(index).size();
                    pastBoundary = true;
                }
                index++;
            }
            seenKey = true;
            if (overlappedBytes > maxGrandparentOverlap || pastBoundary && tableBytes >= targetSize / 2) {
                overlappedBytes = 0;
                return true;
            }
            return false;
        }
    }
}
