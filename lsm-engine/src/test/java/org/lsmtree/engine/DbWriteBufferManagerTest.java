package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.OperationKind;

/**
 * Stores sharing a {@link WriteBufferManager}, their background work run by a
 * {@link ManualExecutor} so that every run replays from its seed: the shared memtables stay
 * within the limit, the largest memtable is switched first, and a closed or failed store gives
 * its bytes back.
 */
class DbWriteBufferManagerTest {
    private static final long SEED = Long.getLong("lsm.wbm.seed", System.nanoTime());
    private static final int LIMIT = 64 << 10;

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    /** Write buffers far above the limit, so that only the manager switches memtables. */
    private static Options shared(WriteBufferManager manager, ManualExecutor background) {
        return Options.defaults().withWriteBufferManager(manager).withBackgroundExecutor(background)
                .withWriteBufferSize(1 << 20);
    }

    /** The bytes one put adds to an empty memtable: what "one write" may pass the limit by. */
    static long writeBytes(byte[] key, byte[] value) {
        MemTable probe = new MemTable(new InternalKeyComparator(BytewiseComparator.INSTANCE));
        probe.add(1, ValueType.PUT, key, value);
        return probe.approximateBytes();
    }

    private static long memtableBytes(Db db) {
        return Long.parseLong(db.property("lsm.all-memtables-bytes"));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void storesSharingALimitNeverPassItByMoreThanOneWrite() throws IOException {
        System.out.println("DbWriteBufferManagerTest seed " + SEED + " (-Dlsm.wbm.seed replays it)");
        Random random = new Random(SEED);
        ManualExecutor background = new ManualExecutor(SEED);
        WriteBufferManager manager = WriteBufferManager.ofBytes(LIMIT);
        List<Db> stores = new ArrayList<>();
        Map<String, byte[]> model = new HashMap<>();
        try {
            for (int i = 0; i < 4; i++) {
                stores.add(Db.open(fs.getPath("/db" + i), shared(manager, background)));
            }
            for (int i = 0; i < 3000; i++) {
                int store = random.nextInt(stores.size());
                byte[] key = b("key" + random.nextInt(500));
                byte[] value = new byte[random.nextInt(400)];
                random.nextBytes(value);
                long before = memtableBytes(stores.get(store));
                stores.get(store).put(key, value, WriteOptions.noSync());
                model.put(store + "/" + new String(key, StandardCharsets.UTF_8), value);
                // One write's bytes: its entry, or more when it opened a new arena chunk (the tail of the
                // last one is counted as held from then on).
                long cost = Math.max(writeBytes(key, value), memtableBytes(stores.get(store)) - before);
                assertThat(manager.usedBytes()).as("write %d: %s", i, manager.describe())
                        .isLessThanOrEqualTo(LIMIT + cost);
                if (random.nextInt(64) == 0) { // rarely: flushes fall behind, and writes meet the limit
                    background.runSomeAtRandom();
                }
            }
            assertThat(manager.switches()).as(manager.describe()).isPositive();
            long budgetWaits = 0;
            for (Db db : stores) {
                budgetWaits += db.core().internals().stalls().budgetWaits();
                assertThat(db.property("lsm.stats")).contains("write buffers: ", "waited for the memtable budget");
            }
            assertThat(budgetWaits).as("writes found the limit reached and waited (ran flushes) at least once")
                    .isPositive();
            long memtables = 0;
            for (Db db : stores) {
                memtables += Long.parseLong(db.property("lsm.all-memtables-bytes"));
            }
            assertThat(manager.usedBytes()).isEqualTo(memtables);
            for (Map.Entry<String, byte[]> entry : model.entrySet()) {
                String[] parts = entry.getKey().split("/", 2);
                assertThat(stores.get(Integer.parseInt(parts[0])).get(b(parts[1]))).isEqualTo(entry.getValue());
            }
        } finally {
            for (Db db : stores) {
                db.close();
            }
        }
        assertThat(manager.usedBytes()).isZero();
        assertThat(manager.stores()).isZero();
    }

    @Test
    void theLargestMemtableIsSwitchedAndFlushedFirstWhicheverStoreWrites() throws IOException {
        ManualExecutor background = new ManualExecutor(1);
        WriteBufferManager manager = WriteBufferManager.ofBytes(LIMIT);
        try (Db large = Db.open(fs.getPath("/large"), shared(manager, background));
                Db small = Db.open(fs.getPath("/small"), shared(manager, background));
                Db writer = Db.open(fs.getPath("/writer"), shared(manager, background))) {
            fill(large, 30 << 10);
            fill(small, 10 << 10);
            while (manager.switches() == 0) {
                writer.put(b("k" + manager.usedBytes()), new byte[100], WriteOptions.noSync());
                assertThat(manager.usedBytes()).isLessThan(LIMIT);
            }
            assertThat(large.property("lsm.mem-table-flush-pending")).isEqualTo("1");
            assertThat(small.property("lsm.mem-table-flush-pending")).isEqualTo("0");
            assertThat(writer.property("lsm.mem-table-flush-pending")).isEqualTo("0");
            assertThat(manager.flushingBytes()).isEqualTo(Long.parseLong(large.property("lsm.all-memtables-bytes")));
            background.runAll();
            assertThat(tables(large)).isEqualTo(1);
            assertThat(tables(small)).isZero();
            assertThat(tables(writer)).isZero();
            assertThat(manager.usedBytes()).isEqualTo(Long.parseLong(small.property("lsm.all-memtables-bytes"))
                    + Long.parseLong(writer.property("lsm.all-memtables-bytes")));
            assertThat(manager.flushingBytes()).isZero();

            // Now the writer's own memtable is the largest: its write switches its own.
            while (manager.switches() == 1 && writer.property("lsm.mem-table-flush-pending").equals("0")) {
                writer.put(b("k" + manager.usedBytes()), new byte[100], WriteOptions.noSync());
            }
            assertThat(writer.property("lsm.mem-table-flush-pending")).isEqualTo("1");
            assertThat(small.property("lsm.mem-table-flush-pending")).isEqualTo("0");
            assertThat(manager.switches()).as("the writer's own switch is not counted as another's").isEqualTo(1);
        }
    }

    @Test
    void aClosedStoreReleasesItsBytesAndAReopenedOneJoinsAgain() throws IOException {
        ManualExecutor background = new ManualExecutor(2);
        WriteBufferManager manager = WriteBufferManager.ofBytes(LIMIT);
        try (Db kept = Db.open(fs.getPath("/kept"), shared(manager, background))) {
            fill(kept, 5 << 10);
            long keptBytes = manager.usedBytes();
            Db closed = Db.open(fs.getPath("/closed"), shared(manager, background));
            fill(closed, 20 << 10);
            assertThat(manager.stores()).isEqualTo(2);
            assertThat(manager.usedBytes()).isGreaterThan(keptBytes + (20 << 10));
            closed.close();
            assertThat(manager.stores()).isEqualTo(1);
            assertThat(manager.usedBytes()).isEqualTo(keptBytes);

            try (Db reopened = Db.open(fs.getPath("/closed"), shared(manager, background))) {
                assertThat(manager.stores()).isEqualTo(2);
                fill(reopened, 10 << 10);
                assertThat(manager.usedBytes())
                        .isEqualTo(keptBytes + Long.parseLong(reopened.property("lsm.all-memtables-bytes")));
            }
            assertThat(manager.usedBytes()).isEqualTo(keptBytes);
            assertThat(Db.openReadOnly(fs.getPath("/closed"), shared(manager, background)))
                    .satisfies(readOnly -> {
                        assertThat(manager.stores()).as("a read-only store does not join").isEqualTo(1);
                        readOnly.close();
                    });
        }
        assertThat(manager.usedBytes()).isZero();
    }

    @Test
    void aStoreWhoseWriteFailedLeavesTheBudgetAndJoinsAgainWhenResumed() throws IOException {
        ManualExecutor background = new ManualExecutor(3);
        WriteBufferManager manager = WriteBufferManager.ofBytes(LIMIT);
        FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
        try (Db healthy = Db.open(fs.getPath("/healthy"), shared(manager, background));
                Db failing = Db.open(fs.getPath("/failing"), shared(manager, background).withStorage(storage))) {
            fill(healthy, 5 << 10);
            fill(failing, 40 << 10);
            long healthyBytes = Long.parseLong(healthy.property("lsm.all-memtables-bytes"));
            storage.failWhen(Fault.on(OperationKind.APPEND).matching("*.log"));
            assertThatThrownBy(() -> failing.put(b("x"), b("y"), WriteOptions.noSync())).isInstanceOf(IOException.class);
            assertThat(manager.stores()).isEqualTo(1);
            assertThat(manager.usedBytes()).isEqualTo(healthyBytes);
            assertThat(failing.property("lsm.stats")).contains("this store does not take part");
            assertThat(healthy.property("lsm.write-buffers")).isEqualTo(manager.describe()).contains("over 1 stores");

            // The healthy store writes on up to the whole limit, never held up by the failed one's memtable.
            fill(healthy, 40 << 10);
            assertThat(manager.switches()).isZero();

            storage.clearFaults();
            failing.resume();
            assertThat(manager.stores()).isEqualTo(2);
            failing.put(b("after"), b("resume"), WriteOptions.noSync());
            assertThat(manager.usedBytes()).isEqualTo(Long.parseLong(healthy.property("lsm.all-memtables-bytes"))
                    + Long.parseLong(failing.property("lsm.all-memtables-bytes")));
        }
    }

    /** Table files of {@code db}, over every level. */
    static int tables(Db db) {
        int files = 0;
        for (int level = 0; level < 7; level++) {
            files += Integer.parseInt(db.property("lsm.num-files-at-level" + level));
        }
        return files;
    }

    /** Writes 100-byte values to {@code db}, unsynced, until its memtables hold {@code bytes} more. */
    static void fill(Db db, int bytes) throws IOException {
        long start = Long.parseLong(db.property("lsm.all-memtables-bytes"));
        for (int i = 0; Long.parseLong(db.property("lsm.all-memtables-bytes")) - start < bytes; i++) {
            db.put(b(String.format("fill%06d-%d", i, start)), new byte[100], WriteOptions.noSync());
        }
    }
}
