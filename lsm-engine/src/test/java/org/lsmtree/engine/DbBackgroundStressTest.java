package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Writers, readers, iterators and snapshots on several threads while the store's own pool
 * flushes and compacts (small buffers and levels, so that it does a lot of both), for a bounded
 * time ({@code -Dlsm.stress.seconds}, 2 by default; longer under {@code -Psoak}). Each key
 * belongs to one writer and holds a counter that only grows: a read sees at least the count
 * acknowledged before it began; a snapshot and an iterator stay frozen; after close and reopen
 * every acknowledged count is there.
 */
class DbBackgroundStressTest {
    private static final int WRITERS = 3;
    private static final int KEYS_PER_WRITER = 400;

    @Test
    void readsSnapshotsAndIteratorsHoldWhileFlushesAndCompactionsRun() throws Exception {
        long seed = Long.getLong("lsm.stress.seed", System.nanoTime());
        long seconds = Long.getLong("lsm.stress.seconds", 2);
        System.out.println("DbBackgroundStressTest seed " + seed + " (-Dlsm.stress.seed to replay the choices)");
        AtomicLongArray acknowledged = new AtomicLongArray(WRITERS * KEYS_PER_WRITER);
        Options options = Options.defaults().withWriteBufferSize(8 << 10).withTargetFileSize(8 << 10)
                .withLevelSizes(32 << 10, 4);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            try (Db db = Db.open(dir, options)) {
                ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 3);
                AtomicBoolean done = new AtomicBoolean();
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    futures.add(pool.submit(() -> {
                        Random random = new Random(seed + writer);
                        while (!done.get()) {
                            int k = writer * KEYS_PER_WRITER + random.nextInt(KEYS_PER_WRITER);
                            long next = acknowledged.get(k) + 1;
                            db.put(key(k), value(next, random), random.nextInt(20) == 0 ? WriteOptions.sync()
                                    : WriteOptions.noSync());
                            acknowledged.set(k, next);
                        }
                        return null;
                    }));
                }
                for (int r = 0; r < 3; r++) {
                    int reader = r;
                    futures.add(pool.submit(() -> {
                        Random random = new Random(seed + 100 + reader);
                        while (!done.get()) {
                            int k = random.nextInt(acknowledged.length());
                            long floor = acknowledged.get(k);
                            assertThat(count(db.get(key(k)))).as("key %d", k).isGreaterThanOrEqualTo(floor);
                            if (random.nextInt(50) == 0) {
                                checkFrozen(db, random);
                            }
                        }
                        return null;
                    }));
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                done.set(true);
                for (Future<?> future : futures) {
                    future.get(60, TimeUnit.SECONDS);
                }
                pool.shutdown();
                assertThat(db.core().internals().compactionStats().compactions()).as("background compactions ran\n%s",
                        db.property("lsm.stats")).isPositive();
                assertThat(db.property("lsm.background-error")).isEmpty();
            }
            try (Db db = Db.open(dir, options)) {
                for (int k = 0; k < acknowledged.length(); k++) {
                    assertThat(count(db.get(key(k)))).as("key %d after reopen", k).isEqualTo(acknowledged.get(k));
                }
            }
        }
    }

    /** A snapshot read twice, and an iterator against it, see the same values while work goes on. */
    private static void checkFrozen(Db db, Random random) throws Exception {
        try (Snapshot snapshot = db.snapshot()) {
            int from = random.nextInt(WRITERS * KEYS_PER_WRITER - 50);
            byte[][] first = new byte[50][];
            for (int i = 0; i < 50; i++) {
                first[i] = db.get(key(from + i), ReadOptions.at(snapshot));
            }
            try (DbIterator it = db.iterator(ReadOptions.at(snapshot))) {
                it.seek(key(from));
                for (int i = 0; i < 50; i++) {
                    byte[] again = db.get(key(from + i), ReadOptions.at(snapshot));
                    assertThat(Arrays.equals(again, first[i])).as("snapshot read of key %d", from + i).isTrue();
                    if (first[i] != null) {
                        assertThat(it.isValid()).isTrue();
                        assertThat(it.key()).isEqualTo(key(from + i));
                        assertThat(it.value()).isEqualTo(first[i]);
                        it.next();
                    }
                }
            }
        }
    }

    private static byte[] key(int k) {
        return String.format("key%06d", k).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] value(long count, Random random) {
        return ByteBuffer.allocate(8 + random.nextInt(60)).putLong(count).array();
    }

    private static long count(byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }
}
