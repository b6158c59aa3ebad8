package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.lsmtree.wal.WriteBatch;

/**
 * Writers and readers at once on one store. Each writer counts up its own key in batches that
 * also set a per-writer marker; readers check that what they see never goes back in time, and
 * that an iterator (one consistent state) sees each writer's key and marker agree.
 */
class DbConcurrencyTest {
    private static final int WRITERS = 4;
    private static final int WRITES = 1500;

    @Test
    void readersNeverSeeAWriteUndoneOrABatchHalfApplied() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
                Db db = Db.open(fs.getPath("/db"), Options.defaults().withWriteBufferSize(16 << 10))) {
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 3);
            AtomicBoolean done = new AtomicBoolean();
            AtomicLongArray acknowledged = new AtomicLongArray(WRITERS);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (long i = 1; i <= WRITES; i++) {
                        WriteBatch batch = new WriteBatch()
                                .put(key("count", writer), number(i))
                                .put(key("marker", writer), number(i));
                        db.write(batch, i % 10 == 0 ? WriteOptions.sync() : WriteOptions.noSync());
                        acknowledged.set(writer, i);
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 3; r++) {
                futures.add(pool.submit(() -> {
                    long[] lastSeen = new long[WRITERS];
                    while (!done.get()) {
                        for (int w = 0; w < WRITERS; w++) {
                            long floor = acknowledged.get(w);
                            long seen = read(db.get(key("count", w)));
                            assertThat(seen).isGreaterThanOrEqualTo(Math.max(floor, lastSeen[w]));
                            lastSeen[w] = seen;
                        }
                        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
                            long[] counts = new long[WRITERS];
                            long[] markers = new long[WRITERS];
                            for (it.seekToFirst(); it.isValid(); it.next()) {
                                String name = new String(it.key(), java.nio.charset.StandardCharsets.US_ASCII);
                                int w = name.charAt(name.length() - 1) - '0';
                                (name.startsWith("count") ? counts : markers)[w] = read(it.value());
                            }
                            assertThat(counts).as("one batch, one state").isEqualTo(markers);
                        }
                    }
                    return null;
                }));
            }
            for (int w = 0; w < WRITERS; w++) {
                futures.get(w).get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            for (int w = 0; w < WRITERS; w++) {
                assertThat(read(db.get(key("count", w)))).isEqualTo(WRITES);
            }
            assertThat(db.property("lsm.last-sequence")).isEqualTo(Long.toString(2L * WRITERS * WRITES));
        }
    }

    private static byte[] key(String name, int writer) {
        return (name + writer).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] number(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static long read(byte[] value) {
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }
}
