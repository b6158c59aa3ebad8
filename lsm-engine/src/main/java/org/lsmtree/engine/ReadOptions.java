package org.lsmtree.engine;

/**
 * How one read or iterator reads: at a {@link Snapshot} (or at the newest state when none), and
 * whether every block read is checked against its checksum (on top of
 * {@link Options#verifyChecksums()}). Immutable.
 */
public final class ReadOptions {
    private static final ReadOptions DEFAULTS = new ReadOptions(null, false);

    private final Snapshot snapshot;
    private final boolean verifyChecksums;

    private ReadOptions(Snapshot snapshot, boolean verifyChecksums) {
        this.snapshot = snapshot;
        this.verifyChecksums = verifyChecksums;
    }

    /** The newest state, checksums as the store's options say. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** The state {@code snapshot} pinned. */
    public static ReadOptions at(Snapshot snapshot) {
        return new ReadOptions(java.util.Objects.requireNonNull(snapshot, "snapshot"), false);
    }

    /** The same, with every block read checked against its checksum. */
    public ReadOptions withVerifiedChecksums() {
        return new ReadOptions(snapshot, true);
    }

    /** The snapshot to read at, or null for the newest state. */
    public Snapshot snapshot() {
        return snapshot;
    }

    public boolean verifyChecksums() {
        return verifyChecksums;
    }
}
