package org.lsmtree.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Write stalls, as LevelDB's {@code MakeRoomForWrite}: decides what a write must do before it
 * goes to the memtable, so that level 0 and the memtables stay bounded when writes outrun
 * flushes and compactions, and counts the stalls for {@code lsm.stats}.
 * <ol>
 *   <li>level 0 holds at least the slowdown trigger's files: the write is delayed 1 ms, once per
 *       write, so that compaction gets the CPU (a gentle brake instead of a hard stop later);
 *   <li>the memtable has room: the write proceeds;
 *   <li>the memtable is full and the previous one is still being flushed: the write waits;
 *   <li>level 0 holds at least the stop trigger's files: the write waits for a compaction;
 *   <li>otherwise the memtable is switched for a new one (and a new WAL) and the write proceeds.
 * </ol>
 *
 * <p>Thread-safe: decisions are pure; the counters are atomic.
 */
final class WriteController {
    /** What a write must do next. */
    enum Action { DELAY, PROCEED, WAIT_FOR_FLUSH, WAIT_FOR_COMPACTION, SWITCH_MEMTABLE }

    private final Options options;
    private final AtomicLong delays = new AtomicLong();
    private final AtomicLong flushWaits = new AtomicLong();
    private final AtomicLong compactionWaits = new AtomicLong();
    private final AtomicLong stallNanos = new AtomicLong();

    WriteController(Options options) {
        this.options = options;
    }

    /**
     * The next step of a write given the level-0 file count, the mutable memtable's bytes,
     * whether an immutable memtable waits for its flush, and whether this write was delayed yet.
     */
    Action decide(int levelZeroFiles, long memTableBytes, boolean immutablePending, boolean delayed) {
        if (!delayed && levelZeroFiles >= options.levelZeroSlowdownTrigger()) {
            return Action.DELAY;
        }
        if (memTableBytes < options.writeBufferSize()) {
            return Action.PROCEED;
        }
        if (immutablePending) {
            return Action.WAIT_FOR_FLUSH;
        }
        if (levelZeroFiles >= options.levelZeroStopTrigger()) {
            return Action.WAIT_FOR_COMPACTION;
        }
        return Action.SWITCH_MEMTABLE;
    }

    /** Sleeps the 1 ms of a {@link Action#DELAY} with {@code lock} (held by the caller) let go meanwhile. */
    static void delay(java.util.concurrent.locks.Lock lock) throws java.io.InterruptedIOException {
        lock.unlock();
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while delayed by level 0");
        } finally {
            lock.lock();
        }
    }

    /** Records a stall of {@code action} that lasted {@code nanos}. */
    void stalled(Action action, long nanos) {
        switch (action) {
            case DELAY -> delays.incrementAndGet();
            case WAIT_FOR_FLUSH -> flushWaits.incrementAndGet();
            case WAIT_FOR_COMPACTION -> compactionWaits.incrementAndGet();
            default -> throw new IllegalArgumentException(action + " is no stall");
        }
        stallNanos.addAndGet(nanos);
    }

    long delays() {
        return delays.get();
    }

    long flushWaits() {
        return flushWaits.get();
    }

    long compactionWaits() {
        return compactionWaits.get();
    }

    /** One line for {@code lsm.stats}. */
    String describe() {
        return String.format("stalls: %d delayed 1 ms (level 0 >= %d), %d waited for a flush, %d waited for a"
                + " compaction (level 0 >= %d), %.3f s in all%n", delays.get(), options.levelZeroSlowdownTrigger(),
                flushWaits.get(), compactionWaits.get(), options.levelZeroStopTrigger(), stallNanos.get() / 1e9);
    }
}
