package org.lsmtree.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;

/**
 * An {@link Executor} that runs nothing by itself: tasks queue until the test runs them, on its
 * own thread, with {@link #runNext()}, {@link #runAll()} or {@link #runSomeAtRandom()}, so that a
 * store's background work happens at points the test chooses and a run replays from its seed.
 *
 * <p>Thread-safe for queueing; tasks run on the calling thread, one at a time.
 */
public final class ManualExecutor implements Executor {
    /** {@link #runAll()} stops after this many tasks: work that keeps queueing work is a bug. */
    public static final int MAX_TASKS_PER_RUN = 10_000;

    private final List<Runnable> queue = new ArrayList<>();
    private final Random random;
    private long ran;

    /** A manual executor whose random choices ({@link #runSomeAtRandom()}) follow {@code seed}. */
    public ManualExecutor(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public synchronized void execute(Runnable task) {
        queue.add(task);
    }

    /** Tasks queued and not yet run. */
    public synchronized int pending() {
        return queue.size();
    }

    /** Tasks run so far. */
    public synchronized long ran() {
        return ran;
    }

    /** Runs the oldest queued task; returns false when none was queued. */
    public boolean runNext() {
        return run(0);
    }

    /** Runs queued tasks, and those they queue, until none is left; returns how many ran. */
    public int runAll() {
        int count = 0;
        while (runNext()) {
            if (++count >= MAX_TASKS_PER_RUN) {
                throw new IllegalStateException("background work keeps queueing work: " + count + " tasks ran");
            }
        }
        return count;
    }

    /** Runs a random number (maybe none) of queued tasks, each picked at random; returns how many ran. */
    public int runSomeAtRandom() {
        int count = 0;
        int limit = random.nextInt(pending() + 1);
        for (int i = 0; i < limit; i++) {
            int size = pending();
            if (size == 0 || !run(random.nextInt(size))) {
                break;
            }
            count++;
        }
        return count;
    }

    private boolean run(int index) {
        Runnable task;
        synchronized (this) {
            if (index >= queue.size()) {
                return false;
            }
            task = queue.remove(index);
            ran++;
        }
        task.run();
        return true;
    }
}
