package org.lsmtree.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a timed body on several threads that start together, and adds up what they count. The
 * time is the wall time from the common start until the last thread is done.
 */
final class ParallelOps {
    /** The work of one thread: {@code counts[0..]} are added up over the threads. */
    interface Body {
        void run(int thread, long[] counts) throws Exception;
    }

    /** What the threads did: wall time and the sum of each counter. */
    record Outcome(long nanos, long[] counts) {}

    private ParallelOps() {}

    /** The share of {@code total} operations that thread {@code thread} of {@code threads} does. */
    static int share(long total, int threads, int thread) {
        return (int) (total / threads + (thread < total % threads ? 1 : 0));
    }

    static Outcome run(int threads, int counters, Body body) throws Exception {
        if (threads == 1) {
            long[] counts = new long[counters];
            long start = System.nanoTime();
            body.run(0, counts);
            return new Outcome(System.nanoTime() - start, counts);
        }
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[][] perThread = new long[threads][counters];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    body.run(thread, perThread[thread]);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-" + t);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        long nanos = System.nanoTime() - start;
        if (failure.get() != null) {
            throw failure.get();
        }
        long[] counts = new long[counters];
        for (long[] one : perThread) {
            for (int i = 0; i < counters; i++) {
                counts[i] += one[i];
            }
        }
        return new Outcome(nanos, counts);
    }
}
