package org.lsmtree.engine;

/**
 * A pinned state of the store: reads at a snapshot see every write acknowledged before it was
 * taken and none after. While a snapshot is open, compaction keeps the versions it can see.
 * Close it when done (closing twice is harmless). Thread-safe.
 */
public final class Snapshot implements AutoCloseable {
    private final long sequence;
    private final SnapshotList owner;
    private volatile boolean closed;

    Snapshot(long sequence, SnapshotList owner) {
        this.sequence = sequence;
        this.owner = owner;
    }

    /** The last sequence number this snapshot sees. */
    public long sequence() {
        return sequence;
    }

    boolean belongsTo(SnapshotList list) {
        return owner == list;
    }

    boolean isClosed() {
        return closed;
    }

    /** Releases the snapshot. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.release(this);
        }
    }

    @Override
    public String toString() {
        return "Snapshot(" + sequence + (closed ? ", closed)" : ")");
    }
}
