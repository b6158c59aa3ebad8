package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.ForwardingStorage;

/**
 * A writer flat out while the store's own pool flushes and compacts on storage that takes 20 ms
 * to create each table: writes wait for flushes and are delayed or stopped by level 0, level 0
 * never passes the stop trigger, the memtables stay within two write buffers (each plus one write),
 * and once the writer stops, background work brings level 0 back under its compaction trigger.
 */
class DbWriteStallTest {
    private static final int WRITE_BUFFER = 4 << 10;

    /** Storage that sleeps before creating a table file: slow flushes and compactions. */
    private static final class SlowTables extends ForwardingStorage {
        SlowTables(Storage delegate) {
            super(delegate);
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            if (file.getFileName().toString().endsWith(".ldb")) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted in a slowed create");
                }
            }
            return super.create(file);
        }
    }

    @Test
    void aWriterFlatOutIsStalledAndLevelZeroAndMemoryStayBounded() throws Exception {
        long seed = Long.getLong("lsm.stall.seed", System.nanoTime());
        System.out.println("DbWriteStallTest seed " + seed + " (-Dlsm.stall.seed replays the keys and values)");
        Random random = new Random(seed);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Options options = Options.defaults().withStorage(new SlowTables(NioStorage.of(fs)))
                    .withWriteBufferSize(WRITE_BUFFER).withTargetFileSize(4 << 10) // many outputs: compaction is slower than flushes
                    .withLevelZeroTriggers(2, 3, 5);
            byte[][] last = new byte[500][];
            try (Db db = Db.open(dir, options)) {
                for (int i = 0; i < 1500; i++) {
                    int k = random.nextInt(last.length);
                    byte[] value = new byte[20 + random.nextInt(80)];
                    random.nextBytes(value);
                    db.put(key(k), value, WriteOptions.noSync());
                    last[k] = value;
                    assertThat(Integer.parseInt(db.property("lsm.num-files-at-level0"))).isLessThanOrEqualTo(5);
                    assertThat(Long.parseLong(db.property("lsm.all-memtables-bytes")))
                            .isLessThanOrEqualTo(2L * (WRITE_BUFFER + 200)); // each memtable may pass its buffer by one write
                }
                WriteController stalls = db.core().internals().stalls();
                String stats = db.property("lsm.stats");
                assertThat(stalls.flushWaits()).as(stats).isPositive();
                assertThat(stalls.delays() + stalls.compactionWaits()).as(stats).isPositive();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (Integer.parseInt(db.property("lsm.num-files-at-level0")) >= 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(Integer.parseInt(db.property("lsm.num-files-at-level0"))).as(db.property("lsm.stats"))
                        .isLessThan(2);
                for (int k = 0; k < last.length; k++) {
                    assertThat(db.get(key(k))).isEqualTo(last[k]);
                }
            }
        }
    }

    private static byte[] key(int k) {
        return String.format("key%05d", k).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
