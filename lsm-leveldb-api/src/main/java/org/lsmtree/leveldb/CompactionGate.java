package org.lsmtree.leveldb;

import static com.google.common.base.Preconditions.checkState;

/**
 * LevelDB's {@code suspendCompactions}/{@code resumeCompactions} for {@code compactRange} (the
 * engine's own {@code Db.suspendCompactions} holds its background compactions). Suspensions nest
 * (each needs its resume). While any is in force no compaction starts: {@link #enter} waits; and
 * {@link #suspend} returns only once the compactions already running have finished, so a caller
 * that suspended may copy the store's tables knowing no compaction deletes or replaces them.
 *
 * <p>Memtable flushes are not compactions: a write that fills the memtable still writes a new
 * level-0 table (and drops the log it covered) while compactions are suspended.
 *
 * <p>Thread-safe: all state is guarded by this object's monitor.
 */
final class CompactionGate {
    private int suspensions;
    private int running;

    /** Stops compactions from starting and waits for the running ones to finish. */
    synchronized void suspend() throws InterruptedException {
        suspensions++;
        try {
            while (running > 0) {
                wait();
            }
        } catch (InterruptedException e) {
            suspensions--;
            notifyAll();
            throw e;
        }
    }

    /** Ends one suspension. Requires one in force. */
    synchronized void resume() {
        checkState(suspensions > 0, "resumeCompactions() without a suspendCompactions() in force");
        suspensions--;
        notifyAll();
    }

    /** Waits until no suspension is in force, then counts a compaction as running. */
    synchronized void enter() throws InterruptedException {
        while (suspensions > 0) {
            wait();
        }
        running++;
    }

    /** Counts a compaction started by {@link #enter} as finished. */
    synchronized void exit() {
        assert running > 0 : "exit() without enter()";
        running--;
        notifyAll();
    }

    /** Throws {@link IllegalStateException} unless a suspension is in force. */
    synchronized void checkSuspended() {
        checkState(suspensions > 0, "resumeCompactions() without a suspendCompactions() in force");
    }

    synchronized boolean isSuspended() {
        return suspensions > 0;
    }
}
