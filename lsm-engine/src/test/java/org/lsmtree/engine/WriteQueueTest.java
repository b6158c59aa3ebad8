package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lsmtree.wal.WriteBatch;

/** The write queue alone: lone leaders and queued groups mixed, one leader at a time, nothing lost or repeated. */
class WriteQueueTest {

    /**
     * Writers that put single entries and batches at random, some of them lone leaders, some
     * queued behind one: the group writer never runs twice at once, every entry is written exactly
     * once, each writer's entries in the order it wrote them, and the queue ends empty.
     */
    @Test
    void loneLeadersAndQueuedGroupsNeverOverlapAndLoseNothing() throws Exception {
        long seed = Long.getLong("lsm.writequeue.seed", System.nanoTime());
        System.out.println("write queue: seed " + seed + " (replay: -Dlsm.writequeue.seed=" + seed + ")");
        int threads = 6;
        int writesEach = 2_000;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<String> written = new ArrayList<>(); // touched by the one leader at a time
        WriteQueue queue = new WriteQueue((group, sync) -> {
            if (inFlight.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            for (WriteBatch batch : group) {
                batch.forEach(new WriteBatch.Handler() {
                    @Override
                    public void put(byte[] key, byte[] value) {
                        written.add(new String(key, StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void delete(byte[] key) {
                        written.add(new String(key, StandardCharsets.US_ASCII));
                    }
                });
            }
            if (group.size() > 1) {
                Thread.yield(); // lets writers queue behind a group
            }
            inFlight.decrementAndGet();
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                SplittableRandom random = new SplittableRandom(seed + t);
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesEach; i++) {
                        byte[] key = (writer + ":" + i).getBytes(StandardCharsets.US_ASCII);
                        switch (random.nextInt(3)) {
                            case 0 -> queue.writeEntry(key, new byte[random.nextInt(8)], false);
                            case 1 -> queue.writeEntry(key, null, random.nextBoolean());
                            default -> queue.write(new WriteBatch().put(key, new byte[1]), false);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps.get()).as("group writes that overlapped another (seed %s)", seed).isZero();
        assertThat(written).as("entries written (seed %s)", seed).hasSize(threads * writesEach);
        int[] next = new int[threads];
        for (String entry : written) {
            int writer = Integer.parseInt(entry.substring(0, entry.indexOf(':')));
            int index = Integer.parseInt(entry.substring(entry.indexOf(':') + 1));
            assertThat(index).as("writer %s's entries in order (seed %s)", writer, seed).isEqualTo(next[writer]);
            next[writer]++;
        }
        assertThat(queue.queued()).isZero();
    }

    /** A lone single-entry write that the writer fails leaves the queue free; the reused batch carries nothing over. */
    @Test
    void aFailedLoneWriteLeavesTheQueueFreeAndTheReusedBatchEmpty() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> counts = new ArrayList<>();
        WriteQueue queue = new WriteQueue((group, sync) -> {
            counts.add(group.get(0).count());
            if (calls.getAndIncrement() == 0) {
                throw new java.io.IOException("disk full");
            }
        }, 64);
        assertThatThrownBy(() -> queue.writeEntry(new byte[] {1}, new byte[] {2}, false)).hasMessage("disk full");
        assertThatThrownBy(() -> queue.writeEntry(new byte[] {1}, new byte[100], false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRecordSize");
        queue.writeEntry(new byte[] {3}, null, true);
        assertThat(counts).as("entries per group written").containsExactly(1, 1);
        assertThat(queue.queued()).isZero();
    }
}
