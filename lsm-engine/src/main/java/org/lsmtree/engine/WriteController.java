package org.lsmtree.engine;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * Write stalls, as LevelDB's {@code MakeRoomForWrite}: decides what a write must do before it
 * goes to the memtable, so that level 0 and the memtables stay bounded when writes outrun
 * flushes and compactions, and counts the stalls for {@code lsm.stats}.
 * <ol>
 *   <li>level 0 holds at least the slowdown trigger's files: the write is delayed 1 ms, once per
 *       write, so that compaction gets the CPU (a gentle brake instead of a hard stop later);
 *   <li>the memtable has room and the shared memtable budget, if any ({@link WriteBufferManager}),
 *       asks nothing: the write proceeds; the budget may ask the writer to switch another store's
 *       memtable (the largest) first, or to wait until memtable memory is released;
 *   <li>the memtable is full, or the budget picked it as the largest to switch, and the previous
 *       one is still being flushed: the write waits;
 *   <li>level 0 holds at least the stop trigger's files: the write waits for a compaction;
 *   <li>otherwise the memtable is switched for a new one (and a new WAL) and the write proceeds.
 * </ol>
 *
 * {@link #makeRoom} carries the decisions out through the store's {@link Steps}, with its write lock held
 * (let go while it delays, waits, or acts for the budget).
 *
 * <p>Thread-safe: decisions are pure; the counters are atomic; {@link #makeRoom} runs under the
 * store's write lock.
 */
final class WriteController {
    /** What a write must do next. */
    enum Action {
        DELAY, PROCEED, WAIT_FOR_FLUSH, WAIT_FOR_COMPACTION, SWITCH_MEMTABLE,
        /** The budget's largest memtable is another store's: switch it, with this store's lock let go. */
        SWITCH_OTHER_MEMTABLE,
        /** The shared memtables are at their limit: run a pending flush or wait for one, the lock let go. */
        WAIT_FOR_BUDGET
    }

    /** A step of the store that may fail with an {@link IOException}. */
    interface Step {
        void run() throws IOException;
    }

    /**
     * The store's steps {@link #makeRoom} takes, each under its write lock: fail if writes are not
     * allowed, switch the full memtable and schedule its flush, flush (or wait for a flush), compact
     * (or wait for a compaction).
     */
    record Steps(Step checkWritable, Step switchMemTable, Step awaitFlush, Step awaitCompaction) {}

    private final Options options;
    private final Lock writeLock;
    private final Supplier<ReadState> readState;
    private final WriteBufferShare memory;
    private final Steps steps;
    private final AtomicLong delays = new AtomicLong();
    private final AtomicLong flushWaits = new AtomicLong();
    private final AtomicLong compactionWaits = new AtomicLong();
    private final AtomicLong budgetWaits = new AtomicLong();
    private final AtomicLong otherSwitches = new AtomicLong();
    private final AtomicLong stallNanos = new AtomicLong();

    WriteController(Options options, Lock writeLock, Supplier<ReadState> readState, WriteBufferShare memory,
            Steps steps) {
        this.options = options;
        this.writeLock = writeLock;
        this.readState = readState;
        this.memory = memory;
        this.steps = steps;
    }

    /**
     * Delays, waits or switches memtables until the memtable has room, as {@link #decide} says,
     * counting every stall. Requires the write lock (held once).
     */
    void makeRoom() throws IOException {
        boolean delayed = false;
        boolean othersRefused = false; // another store's memtable could not be switched: do not ask again
        while (true) {
            steps.checkWritable().run();
            ReadState state = readState.get();
            Action action = decide(state.version().state().fileCount(0), state.mutable().approximateBytes(),
                    state.immutable() != null, delayed, memory.verdict(!othersRefused));
            if (action == Action.PROCEED) { // the common case: no clock read, no stall
                return;
            }
            if (action == Action.SWITCH_MEMTABLE) {
                steps.switchMemTable().run();
                return;
            }
            long start = System.nanoTime();
            switch (action) {
                case DELAY -> {
                    delay(writeLock);
                    delayed = true;
                }
                case WAIT_FOR_FLUSH -> steps.awaitFlush().run();
                case WAIT_FOR_COMPACTION -> steps.awaitCompaction().run();
                case SWITCH_OTHER_MEMTABLE, WAIT_FOR_BUDGET ->
                        othersRefused |= !memory.makeRoom(writeLock, action == Action.SWITCH_OTHER_MEMTABLE);
                default -> throw new AssertionError(action);
            }
            stalled(action, System.nanoTime() - start);
        }
    }

    /**
     * The next step of a write given the level-0 file count, the mutable memtable's bytes,
     * whether an immutable memtable waits for its flush, whether this write was delayed yet, and
     * what the shared memtable budget asks ({@code WITHIN} without one).
     */
    Action decide(int levelZeroFiles, long memTableBytes, boolean immutablePending, boolean delayed,
            WriteBufferManager.Verdict budget) {
        if (!delayed && levelZeroFiles >= options.levelZeroSlowdownTrigger()) {
            return Action.DELAY;
        }
        if (memTableBytes < options.writeBufferSize() && budget != WriteBufferManager.Verdict.SWITCH_OWN) {
            return switch (budget) {
                case SWITCH_OTHER -> Action.SWITCH_OTHER_MEMTABLE;
                case WAIT -> Action.WAIT_FOR_BUDGET;
                default -> Action.PROCEED;
            };
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
            case WAIT_FOR_BUDGET -> budgetWaits.incrementAndGet();
            case SWITCH_OTHER_MEMTABLE -> otherSwitches.incrementAndGet();
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

    long budgetWaits() {
        return budgetWaits.get();
    }

    /** One line for {@code lsm.stats}. */
    String describe() {
        String budget = !memory.shared() ? "" : String.format(", %d waited for the memtable budget, %d switched"
                + " another store's memtable for it", budgetWaits.get(), otherSwitches.get());
        return String.format("stalls: %d delayed 1 ms (level 0 >= %d), %d waited for a flush, %d waited for a"
                + " compaction (level 0 >= %d)%s, %.3f s in all%n", delays.get(), options.levelZeroSlowdownTrigger(),
                flushWaits.get(), compactionWaits.get(), options.levelZeroStopTrigger(), budget, stallNanos.get() / 1e9);
    }
}
