package org.lsmtree.engine;

/**
 * How one read or iterator reads: at a {@link Snapshot} (or at the newest state when none),
 * whether every block read is checked against its checksum (besides, when
 * {@link Options#verifyChecksums()} is on, as it is by default, every read is), and whether an
 * iterator's blocks read from table files enter the block cache ({@link #withFillCache}).
 * Immutable.
 */
public final class ReadOptions {
    private static final ReadOptions DEFAULTS = new ReadOptions(null, false, true);

    private final Snapshot snapshot;
    private final boolean verifyChecksums;
    private final boolean fillCache;

    private ReadOptions(Snapshot snapshot, boolean verifyChecksums, boolean fillCache) {
        this.snapshot = snapshot;
        this.verifyChecksums = verifyChecksums;
        this.fillCache = fillCache;
    }

    /** The newest state, checksums as the store's options say. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** The state {@code snapshot} pinned. */
    public static ReadOptions at(Snapshot snapshot) {
        return new ReadOptions(java.util.Objects.requireNonNull(snapshot, "snapshot"), false, true);
    }

    /** The same, with every block read checked against its checksum. */
    public ReadOptions withVerifiedChecksums() {
        return new ReadOptions(snapshot, true, fillCache);
    }

    /**
     * The same, with an iterator's blocks read from table files added to the block cache only if
     * {@code fill} (LevelDB's {@code fill_cache}; default true). Off, a scan reads through the
     * cache (a cached block is still used) without pushing the blocks other reads keep hot out of
     * it: for bulk scans, exports, checks. The store's compactions read this way. It matters only
     * for tables read through the cache: the uncompressed blocks of memory-mapped tables (the
     * default file system) never enter it. Point reads ({@code Db.get}) always fill the cache.
     */
    public ReadOptions withFillCache(boolean fill) {
        return new ReadOptions(snapshot, verifyChecksums, fill);
    }

    /** Whether an iterator's blocks read from table files enter the block cache. */
    public boolean fillCache() {
        return fillCache;
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
