package org.lsmtree.engine;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.Lock;

/**
 * One store's membership in a {@link WriteBufferManager}: the bytes of its memtables as the
 * manager counts them, and the two things the manager may ask of the store. A store without a
 * manager has a share too, which counts nothing and asks nothing ({@link WriteBufferManager.Verdict#WITHIN}).
 *
 * <p>Invariant: while joined, the manager's totals include exactly {@link #mutableBytes()} and
 * {@link #immutableBytes()} of this store; after {@link #leave()} they include nothing of it.
 *
 * <p>Thread-safety: {@link #join}, {@link #update}, {@link #leave} and {@link #makeRoom} are called
 * under the store's write lock (makeRoom lets it go while it works); the byte counts are read by
 * any thread.
 */
final class WriteBufferShare {
    /** What the manager asks of a store, which takes its write lock itself. */
    interface Store {
        /**
         * With {@code switchOnly}, switches the mutable memtable and schedules its flush, unless it
         * is empty or the previous one still waits; else flushes the immutable memtable here,
         * unless none waits or its flush runs already. Returns whether it did.
         */
        boolean flushOrSwitch(boolean switchOnly);
    }

    private final WriteBufferManager manager;
    private final String name;
    private final Store store;
    private volatile long mutableBytes;
    private volatile long immutableBytes;
    private boolean joined;

    /** The share of store {@code name} in {@code manager} (null: none), not joined yet. */
    WriteBufferShare(WriteBufferManager manager, String name, Store store) {
        this.manager = manager;
        this.name = name;
        this.store = store;
    }

    /** Joins the manager with the memtables of {@code state}, whose bytes count from now on. */
    void join(ReadState state) {
        if (manager != null && !joined) {
            joined = true;
            manager.join(this);
            update(state);
        }
    }

    /** Counts the memtables of {@code state} (the store's current one) in place of what was counted. */
    void update(ReadState state) {
        if (!joined) {
            return;
        }
        long mutable = state.mutable().approximateBytes();
        long immutable = state.immutable() == null ? 0 : state.immutable().approximateBytes();
        long usedDelta = mutable + immutable - mutableBytes - immutableBytes;
        long immutableDelta = immutable - immutableBytes;
        mutableBytes = mutable;
        immutableBytes = immutable;
        if (usedDelta != 0 || immutableDelta != 0) {
            manager.changed(usedDelta, immutableDelta);
        }
    }

    /** Leaves the manager, releasing every byte counted for the store (on close, or a failed write). */
    void leave() {
        if (joined) {
            joined = false;
            manager.leave(this);
            long used = mutableBytes + immutableBytes;
            long immutable = immutableBytes;
            mutableBytes = 0;
            immutableBytes = 0;
            manager.changed(-used, -immutable);
        }
    }

    /** What the budget asks of the store's next write; see {@link WriteBufferManager#verdict}. */
    WriteBufferManager.Verdict verdict(boolean mayAskOthers) {
        return joined ? manager.verdict(this, mayAskOthers) : WriteBufferManager.Verdict.WITHIN;
    }

    /** {@link WriteBufferManager#makeRoom} with {@code writeLock} (held once by the caller) let go meanwhile. */
    boolean makeRoom(Lock writeLock, boolean switchOther) throws InterruptedIOException {
        writeLock.unlock();
        try {
            return manager.makeRoom(this, switchOther);
        } finally {
            writeLock.lock();
        }
    }

    /** Whether the store was given a manager (it may have left it since). */
    boolean shared() {
        return manager != null;
    }

    /** One line for {@code lsm.stats} and {@code lsm.write-buffers}. */
    String describe() {
        return manager == null ? "write buffers: not shared"
                : manager.describe() + (joined ? "" : "; this store does not take part (closed, read-only or failed)");
    }

    long mutableBytes() {
        return mutableBytes;
    }

    long immutableBytes() {
        return immutableBytes;
    }

    Store store() {
        return store;
    }

    @Override
    public String toString() {
        return name;
    }
}
