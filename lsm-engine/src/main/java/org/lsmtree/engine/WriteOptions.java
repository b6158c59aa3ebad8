package org.lsmtree.engine;

/**
 * How one write is made durable. By default ({@link #sync()}) the WAL is synced before the write
 * returns, so an acknowledged write survives a machine crash. {@link #noSync()} skips the sync:
 * the write survives a crash of the process but may be lost with the machine (for bulk loads;
 * a later synced write makes everything before it durable too). Immutable.
 */
public final class WriteOptions {
    private static final WriteOptions SYNC = new WriteOptions(true);
    private static final WriteOptions NO_SYNC = new WriteOptions(false);

    private final boolean sync;

    private WriteOptions(boolean sync) {
        this.sync = sync;
    }

    /** The default: synced before the write returns. */
    public static WriteOptions defaults() {
        return SYNC;
    }

    /** Synced before the write returns. */
    public static WriteOptions sync() {
        return SYNC;
    }

    /** Not synced: durable against a process crash only. */
    public static WriteOptions noSync() {
        return NO_SYNC;
    }

    /** Whether the WAL is synced before the write returns. */
    public boolean isSync() {
        return sync;
    }

    @Override
    public String toString() {
        return sync ? "WriteOptions(sync)" : "WriteOptions(noSync)";
    }
}
