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

/**
 * One compaction: merges the chosen files of level {@code level} with the files of
 * {@code level + 1} they overlap into new files at {@code level + 1}, dropping every entry no
 * reader can see any more:
 * <ul>
 *   <li>an entry shadowed by a newer entry of the same user key that every open snapshot sees
 *       (its sequence is at or below the oldest snapshot);
 *   <li>a tombstone every snapshot sees, when no deeper level (below {@code level + 1}) holds
 *       the key, so nothing older can resurface once it is gone.
 * </ul>
 * Not thread-safe; the engine runs one compaction at a time under its write lock.
 */
final class Compaction {
    private final Version version;
    private final int level;
    private final List<FileMetadata> inputs;
    private final List<FileMetadata> overlapped;

    Compaction(Version version, int level, List<FileMetadata> inputs, List<FileMetadata> overlapped) {
        this.version = version;
        this.level = level;
        this.inputs = List.copyOf(inputs);
        this.overlapped = List.copyOf(overlapped);
    }

    int level() {
        return level;
    }

    List<FileMetadata> inputs() {
        return inputs;
    }

    List<FileMetadata> overlapped() {
        return overlapped;
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
                                && !version.anyFileMayHold(userKey, level + 2);
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
}
