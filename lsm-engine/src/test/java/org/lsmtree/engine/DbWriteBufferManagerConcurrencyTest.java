package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbWriteBufferManagerTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Writers on several threads, each writing to stores picked at random, with every store's own
 * background pool flushing: the shared memtables never pass the limit by more than one write per
 * writer, and every write is read back afterwards. The keys, values and choices of store follow
 * the printed seed ({@code -Dlsm.wbm.seed} replays them); the threads' interleaving does not.
 */
class DbWriteBufferManagerConcurrencyTest {
    private static final int LIMIT = 64 << 10;
    private static final int WRITERS = 4;
    private static final int STORES = 5;
    private static final int WRITES_PER_WRITER = 1500;
    private static final int MAX_VALUE = 400;

    @Test
    void concurrentWritersAcrossStoresStayWithinTheLimitAndLoseNothing() throws Exception {
        long seed = Long.getLong("lsm.wbm.seed", System.nanoTime());
        System.out.println("DbWriteBufferManagerConcurrencyTest seed " + seed + " (-Dlsm.wbm.seed replays the choices)");
        WriteBufferManager manager = WriteBufferManager.ofBytes(LIMIT);
        long oneWrite = DbWriteBufferManagerTest.writeBytes(b("w0-000000"), new byte[MAX_VALUE]);
        AtomicLong highest = new AtomicLong();
        Map<String, byte[]> written = new ConcurrentHashMap<>();
        List<Db> stores = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            for (int i = 0; i < STORES; i++) {
                stores.add(Db.open(fs.getPath("/db" + i), Options.defaults().withWriteBufferManager(manager)
                        .withWriteBufferSize(1 << 20).withBackgroundThreads(1)));
            }
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Random random = new Random(seed + w);
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        int store = random.nextInt(STORES);
                        String key = String.format("w%d-%06d", writer, i);
                        byte[] value = new byte[random.nextInt(MAX_VALUE + 1)];
                        random.nextBytes(value);
                        stores.get(store).put(b(key), value, WriteOptions.noSync());
                        written.put(store + "/" + key, value);
                        highest.accumulateAndGet(manager.usedBytes(), Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            System.out.println("highest " + highest.get() + " of a limit of " + LIMIT + "; " + manager.describe());
            // A write costs its entry, plus at most the tail of an arena chunk it leaves behind when its
            // entry does not fit there (a tail shorter than the entry): under twice the entry.
            assertThat(highest.get()).as("%s; one write takes at most %d bytes", manager.describe(), 2 * oneWrite)
                    .isLessThanOrEqualTo(LIMIT + WRITERS * 2 * oneWrite);
            assertThat(manager.switches() + stores.stream().mapToLong(db -> db.core().internals().stalls().budgetWaits())
                    .sum()).as(manager.describe()).isPositive();
            for (Map.Entry<String, byte[]> entry : written.entrySet()) {
                String[] parts = entry.getKey().split("/", 2);
                assertThat(stores.get(Integer.parseInt(parts[0])).get(b(parts[1]))).isEqualTo(entry.getValue());
            }
        } finally {
            writers.shutdownNow();
            for (Db db : stores) {
                closeQuietly(db);
            }
        }
        assertThat(manager.usedBytes()).isZero();
        assertThat(manager.stores()).isZero();
    }

    private static void closeQuietly(Db db) {
        try {
            db.close();
        } catch (IOException | IllegalStateException e) {
            // the file system may be closed already; the store's bytes are released either way
        }
    }
}
