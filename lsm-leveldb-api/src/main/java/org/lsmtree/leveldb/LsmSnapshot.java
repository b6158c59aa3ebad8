package org.lsmtree.leveldb;

import org.iq80.leveldb.Snapshot;

/**
 * A LevelDB-API {@link Snapshot} over the engine's: reads given it (through
 * {@code ReadOptions.snapshot}) see the store as it was when it was taken. Close it to let
 * compaction drop what only it could see; closing twice is harmless. Thread-safe.
 */
final class LsmSnapshot implements Snapshot {
    private final org.lsmtree.engine.Snapshot snapshot;

    LsmSnapshot(org.lsmtree.engine.Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    org.lsmtree.engine.Snapshot engineSnapshot() {
        return snapshot;
    }

    @Override
    public void close() {
        snapshot.close();
    }

    @Override
    public String toString() {
        return snapshot.toString();
    }
}
