package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;
import static org.lsmtree.engine.DbOpenAndWriteTest.s;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.ManualExecutor;

/** The table cache holds at most {@link Options#maxOpenFiles()} tables; evicted ones reopen on use. */
class DbTableCacheTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void readsAndIteratorsReopenEvictedTablesAndTheCacheStaysBounded() throws IOException {
        Options options = Options.defaults().withBackgroundExecutor(new ManualExecutor(5)).withMaxOpenFiles(3)
                .withLevelZeroTriggers(20, 21, 22); // no compaction: every flush stays a table of its own
        try (Db db = Db.open(dir, options)) {
            for (int table = 0; table < 10; table++) {
                for (int i = 0; i < 20; i++) {
                    db.put(b(String.format("k%03d", i * 10 + table)), b("v" + table + "-" + i));
                }
                db.flush();
            }
            TableCache tables = db.core().internals().tables();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 20; i++) {
                    for (int table = 0; table < 10; table++) {
                        assertThat(s(db.get(b(String.format("k%03d", i * 10 + table))))).isEqualTo("v" + table + "-" + i);
                        assertThat(tables.openCount()).isLessThanOrEqualTo(3);
                    }
                }
            }
            int seen = 0;
            try (DbIterator it = db.iterator(ReadOptions.defaults())) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    seen++;
                    assertThat(s(db.get(it.key()))).isEqualTo(s(it.value())); // lookups evict under the iterator
                }
            }
            assertThat(seen).isEqualTo(200);
            assertThat(tables.openCount()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void threadsReadingMoreTablesThanTheCacheHoldsAlwaysFindTheirValues() throws Exception {
        Options options = Options.defaults().withBackgroundExecutor(new ManualExecutor(5)).withMaxOpenFiles(2)
                .withLevelZeroTriggers(20, 21, 22);
        try (Db db = Db.open(dir, options)) {
            for (int table = 0; table < 6; table++) {
                for (int i = 0; i < 20; i++) {
                    db.put(b(String.format("k%03d", i * 10 + table)), b("v" + table + "-" + i), WriteOptions.noSync());
                }
                db.flush();
            }
            long seed = Long.getLong("lsm.seed", System.nanoTime());
            System.out.println("DbTableCacheTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.List<Thread> readers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                java.util.Random random = new java.util.Random(seed + t);
                Thread reader = new Thread(() -> {
                    try {
                        for (int n = 0; n < 2000; n++) {
                            int table = random.nextInt(6);
                            int i = random.nextInt(20);
                            String value = s(db.get(b(String.format("k%03d", i * 10 + table))));
                            if (!value.equals("v" + table + "-" + i)) {
                                throw new AssertionError("seed " + seed + ": k" + (i * 10 + table) + " read " + value);
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                readers.add(reader);
                reader.start();
            }
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(db.core().internals().tables().openCount()).isLessThanOrEqualTo(2);
        }
    }
}
