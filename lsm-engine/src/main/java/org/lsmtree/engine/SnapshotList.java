package org.lsmtree.engine;

import java.util.TreeMap;

/**
 * The open snapshots of a store, counted by sequence, so that compaction can ask for the oldest
 * one still open. Thread-safe (synchronized).
 */
final class SnapshotList {
    private final TreeMap<Long, Integer> open = new TreeMap<>();

    synchronized Snapshot take(long sequence) {
        open.merge(sequence, 1, Integer::sum);
        return new Snapshot(sequence, this);
    }

    synchronized void release(Snapshot snapshot) {
        open.computeIfPresent(snapshot.sequence(), (sequence, count) -> count == 1 ? null : count - 1);
    }

    /** The oldest sequence an open snapshot sees, or {@code otherwise} when none is open. */
    synchronized long oldest(long otherwise) {
        return open.isEmpty() ? otherwise : open.firstKey();
    }

    synchronized int size() {
        return open.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The sequence a read with {@code readOptions} sees: its snapshot's, else {@code latest}. */
    long sequenceFor(ReadOptions readOptions, long latest) {
        com.google.common.base.Preconditions.checkNotNull(readOptions, "readOptions");
        Snapshot snapshot = readOptions.snapshot();
        if (snapshot == null) {
            return latest;
        }
        com.google.common.base.Preconditions.checkState(snapshot.belongsTo(this), "snapshot %s belongs to another store",
                snapshot);
        com.google.common.base.Preconditions.checkState(!snapshot.isClosed(), "snapshot %s is closed", snapshot);
        return snapshot.sequence();
    }
}
