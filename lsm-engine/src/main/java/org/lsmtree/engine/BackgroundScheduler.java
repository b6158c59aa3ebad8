package org.lsmtree.engine;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the store's background work (flushes of an immutable memtable, compactions, syncs of the
 * growing WAL: {@link WalPrefixSync}) to an executor: the one {@link Options#withBackgroundExecutor}
 * names, or a pool of {@link Options#backgroundThreads()} daemon threads of the store's own, and
 * one more when WAL syncs are on (a sync must not wait behind a long compaction). At most one task of
 * each kind is queued at a time (scheduling again while one waits to run does nothing); the task
 * itself decides under the store's write lock whether there is work, so a task that finds none,
 * or runs after {@link #close}, returns at once.
 *
 * <p>Invariant: after {@link #close} returns no task is running and none will do any work.
 *
 * <p>Thread-safe; its monitor guards the queued flags and the count of running tasks and is
 * never held while a task runs.
 */
final class BackgroundScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundScheduler.class);

    /** Failures in a row after which a background compaction gives up. */
    static final int COMPACTION_ATTEMPTS = 4;

    /** The kinds of background work; one of each may be queued. */
    enum Kind { FLUSH, COMPACTION, WAL_SYNC }

    private final Executor executor;
    private final ScheduledExecutorService ownPool;
    private final Runnable[] tasks; // by kind
    private final boolean[] queued = new boolean[Kind.values().length];
    private int running;
    private boolean closed;
    private int compactionFailures;
    private int compactionSuspensions;

    BackgroundScheduler(Options options, String name, Runnable flush, Runnable compaction, Runnable walSync) {
        this.tasks = new Runnable[] {flush, compaction, walSync};
        if (options.backgroundExecutor() != null) {
            this.executor = options.backgroundExecutor();
            this.ownPool = null;
        } else {
            AtomicInteger made = new AtomicInteger();
            int threads = options.backgroundThreads() + (options.walBytesPerSync() > 0 ? 1 : 0);
            this.ownPool = Executors.newScheduledThreadPool(threads, task -> {
                Thread thread = new Thread(task, "lsm-background-" + made.incrementAndGet() + " " + name);
                thread.setDaemon(true);
                return thread;
            });
            this.executor = ownPool;
        }
    }

    /** Queues a task of {@code kind} unless one is queued already or the scheduler is closed. */
    void schedule(Kind kind) {
        synchronized (this) {
            if (closed || queued[kind.ordinal()]) {
                return;
            }
            queued[kind.ordinal()] = true;
        }
        try {
            executor.execute(() -> run(kind));
        } catch (RejectedExecutionException e) {
            LOG.warn("background {} not scheduled: {}", kind, e.toString());
            synchronized (this) {
                queued[kind.ordinal()] = false;
            }
        }
    }

    /**
     * Queues a task of {@code kind} after {@code millis} on the store's own pool; an executor
     * the options named gets it at once (a manual one runs it when the test says).
     */
    void scheduleAfter(Kind kind, long millis) {
        if (ownPool == null) {
            schedule(kind);
            return;
        }
        try {
            ownPool.schedule(() -> schedule(kind), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("background {} not scheduled after closing: {}", kind, e.toString());
        }
    }

    /** Suspends automatic compactions ({@link Db#suspendCompactions()}); suspensions nest. */
    synchronized void suspendCompactions() {
        compactionSuspensions++;
    }

    /** Ends one suspension; returns whether none is left. Throws {@link IllegalStateException} without one. */
    synchronized boolean resumeCompactions() {
        com.google.common.base.Preconditions.checkState(compactionSuspensions > 0,
                "resumeCompactions() without a suspendCompactions()");
        return --compactionSuspensions == 0;
    }

    synchronized boolean compactionsSuspended() {
        return compactionSuspensions > 0;
    }

    /** Waits on {@code done}, a condition of the lock the caller holds, for background work to end. */
    static void await(java.util.concurrent.locks.Condition done) throws java.io.InterruptedIOException {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for background work");
        }
    }

    /** A background compaction succeeded: the count of failures in a row starts again. */
    synchronized void compactionSucceeded() {
        compactionFailures = 0;
    }

    /**
     * A background compaction failed without changing anything: retries it after a backoff (0.1 s,
     * doubling) and returns true, or returns false after {@value #COMPACTION_ATTEMPTS} failures in
     * a row (the store then turns read-only). A {@link org.lsmtree.format.CorruptionException} (a
     * damaged input, or an output that failed its {@link OutputCheck}) is not retried: damage is
     * no passing failure, and the store's error names the file for the user, who
     * {@link Db#resume()}s once it is dealt with.
     */
    boolean retryCompaction(Exception failure) {
        if (failure instanceof org.lsmtree.format.CorruptionException) {
            return false;
        }
        int failures;
        synchronized (this) {
            failures = ++compactionFailures;
        }
        if (failures >= COMPACTION_ATTEMPTS) {
            return false;
        }
        long backoff = 100L << Math.min(failures - 1, 6);
        LOG.warn("background compaction failed ({} in a row), retrying in {} ms: {}", failures, backoff,
                failure.toString());
        scheduleAfter(Kind.COMPACTION, backoff);
        return true;
    }

    private void run(Kind kind) {
        synchronized (this) {
            queued[kind.ordinal()] = false;
            if (closed) {
                return;
            }
            running++;
        }
        try {
            tasks[kind.ordinal()].run();
        } catch (RuntimeException | Error e) {
            LOG.error("background {} failed: {}", kind, e.toString(), e);
        } finally {
            synchronized (this) {
                running--;
                notifyAll();
            }
        }
    }

    /** Starts no more tasks, waits for the running ones, and ends the store's own pool. */
    @Override
    public void close() {
        boolean interrupted = false;
        synchronized (this) {
            closed = true;
            while (running > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (ownPool != null) {
            ownPool.shutdown();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
