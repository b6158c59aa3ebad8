package org.lsmtree.engine;

/**
 * How one read or iterator reads: at a {@link Snapshot} (or at the newest state when none), and
 * whether every block read is checked against its checksum (besides, when
 * {@link Options#verifyChecksums()} is on, as it is by default, every read is). Immutable.
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

    /** Whether this read checks every block against its checksum, whatever the store's options say. */
    public boolean verifyChecksums() {
        return verifyChecksums;
    }
}
