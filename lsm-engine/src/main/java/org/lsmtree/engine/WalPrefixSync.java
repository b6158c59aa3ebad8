package org.lsmtree.engine;

import java.io.IOException;
import org.lsmtree.wal.WalWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the active WAL in the background as it grows ({@link Options#withWalBytesPerSync}): each
 * time that many bytes were appended since the last sync or request, the writer asks for a
 * {@link BackgroundScheduler.Kind#WAL_SYNC} task, which makes the log durable up to where it was
 * then ({@link WalWriter#syncPrefix}) without the store's write lock. The sync a memtable switch
 * must make before the next log takes writes then has only the rest to force. Durability promises
 * do not change: an unsynced write is never acknowledged as durable; this only makes its bytes
 * reach the disk sooner, in order (a prefix of the log), so a crash still loses only a suffix.
 *
 * <p>Requests coalesce: a task syncs up to the newest request when it runs, and a request for a
 * log that was switched away is dropped (the switch synced all of it; a task that took it already
 * finds the file closed or synced, and does nothing).
 *
 * <p>Failure: a failed background sync is kept and thrown by {@link #checkFailure()} at every
 * later append or switch, so the write that meets it turns the store read-only as a failed log
 * write does (the pages the OS could not write may be gone, whatever a later sync reports);
 * {@link #reset()} forgets it once a resumption replaced the log.
 *
 * <p>Threads: {@link #appended}, {@link #synced}, {@link #switched} and {@link #reset} run on the
 * writer, under the store's write lock; {@link #run()} on a background thread. This object's
 * monitor guards the pending request; {@code failure} is volatile.
 */
final class WalPrefixSync {
    private static final Logger LOG = LoggerFactory.getLogger(WalPrefixSync.class);

    private final long bytesPerSync;
    private final Runnable schedule;
    private long requestedEnd; // the writer's: where the active log was last synced or a sync requested
    private WalWriter pendingLog; // guarded by this
    private long pendingEnd; // guarded by this
    private volatile IOException failure;

    /** Syncs every {@code bytesPerSync} bytes (0: never) in tasks that {@code schedule} queues. */
    WalPrefixSync(long bytesPerSync, Runnable schedule) {
        this.bytesPerSync = bytesPerSync;
        this.schedule = schedule;
    }

    /**
     * The writer appended and flushed {@code log} up to {@code end}: asks for a sync up to there
     * if {@code bytesPerSync} bytes were appended since the last one.
     */
    void appended(WalWriter log, long end) {
        if (bytesPerSync == 0 || end - requestedEnd < bytesPerSync) {
            return;
        }
        requestedEnd = end;
        synchronized (this) {
            pendingLog = log;
            pendingEnd = end;
        }
        schedule.run();
    }

    /** The writer synced the active log up to {@code end} itself. */
    void synced(long end) {
        requestedEnd = end;
    }

    /** A new log takes the writes; a request for the old one (synced by the switch) is dropped. */
    synchronized void switched() {
        requestedEnd = 0;
        pendingLog = null;
    }

    /** A resumption replaced the log: an earlier failure is dealt with. */
    void reset() {
        switched();
        failure = null;
    }

    /** Throws the failure of an earlier background sync, if one failed. */
    void checkFailure() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException("a background sync of the WAL failed: " + failed.getMessage(), failed);
        }
    }

    /** The task: syncs the log of the newest request up to its end, if one is pending. */
    void run() {
        WalWriter log;
        long end;
        synchronized (this) {
            log = pendingLog;
            end = pendingEnd;
            pendingLog = null;
        }
        if (log == null) {
            return;
        }
        try {
            log.syncPrefix(end);
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException("background sync of the WAL", e);
            LOG.error("background sync of the WAL up to {} failed; the next write turns the store read-only: {}",
                    end, e.toString());
        }
    }
}
