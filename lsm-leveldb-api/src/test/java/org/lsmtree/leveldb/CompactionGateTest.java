package org.lsmtree.leveldb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Suspensions nest, wait for running compactions, and an interrupted one leaves nothing behind. */
class CompactionGateTest {
    private final CompactionGate gate = new CompactionGate();

    @Test
    void suspensionsNestAndEachNeedsItsResume() throws InterruptedException {
        gate.suspend();
        gate.suspend();
        gate.resume();
        assertThat(gate.isSuspended()).isTrue();
        gate.resume();
        assertThat(gate.isSuspended()).isFalse();
        assertThatThrownBy(gate::resume).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void suspendReturnsOnlyOnceTheRunningCompactionHasFinished() throws InterruptedException {
        gate.enter();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread suspending = start(() -> gate.suspend(), failure);
        awaitWaiting(suspending);
        assertThat(gate.isSuspended()).as("new compactions are already held").isTrue();
        gate.exit();
        suspending.join();
        assertThat(failure.get()).isNull();
        gate.resume();
    }

    @Test
    void anInterruptedSuspendLeavesNoSuspensionBehind() throws InterruptedException {
        gate.enter();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread suspending = start(() -> gate.suspend(), failure);
        awaitWaiting(suspending);
        suspending.interrupt();
        suspending.join();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        assertThat(gate.isSuspended()).isFalse();
        gate.exit();
        gate.enter(); // does not wait
        gate.exit();
    }

    private interface Blocking {
        void run() throws InterruptedException;
    }

    private static Thread start(Blocking body, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "suspending");
        thread.start();
        return thread;
    }

    /** Polls until {@code thread} blocks in {@code wait()}; fails after a minute. */
    static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
    }
}
