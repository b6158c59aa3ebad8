package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on the default file system reads its tables' data blocks from their mappings, not
 * through the block cache, and says so in {@code lsm.block-cache}; iterators without
 * {@code fillCache}, and compactions, leave the cache of unmapped tables alone.
 */
class DbMappedReadsTest {
    private static final int KEYS = 4_000;

    @TempDir Path tempDir;

    private static byte[] key(int i) {
        return b(String.format("key%06d", i));
    }

    private static byte[] value(int i) {
        return b("value-" + i + "-".repeat(40));
    }

    private static void fill(Db db) throws IOException {
        for (int i = 0; i < KEYS; i++) {
            db.put(key(i), value(i), WriteOptions.noSync());
            if (i % 1_000 == 999) {
                db.flush(); // several tables, so the merge and level iterators see block changes
            }
        }
    }

    @Test
    void aStoreOnTheDefaultFileSystemReadsWithoutTheCacheAndReportsIt() throws Exception {
        BlockCache cache = BlockCache.ofBytes(1 << 20);
        try (Db db = Db.open(tempDir.resolve("db"), Options.defaults().withBlockSize(512).withBlockCache(cache))) {
            fill(db);
            for (int i = 0; i < KEYS; i += 3) {
                assertThat(db.get(key(i))).isEqualTo(value(i));
            }
            assertThat(db.get(b("absent"))).isNull();
            try (DbIterator iterator = db.iterator(ReadOptions.defaults())) {
                int i = 0;
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next(), i++) {
                    assertThat(iterator.key()).isEqualTo(key(i));
                    ByteBuffer view = iterator.valueView();
                    byte[] viewed = new byte[view.remaining()];
                    view.get(viewed);
                    assertThat(viewed).isEqualTo(value(i));
                }
                assertThat(i).isEqualTo(KEYS);
                i = KEYS - 1;
                for (iterator.seekToLast(); iterator.isValid(); iterator.prev(), i--) {
                    assertThat(iterator.key()).isEqualTo(key(i));
                    assertThat(iterator.value()).isEqualTo(value(i));
                }
                assertThat(i).isEqualTo(-1);
            }
            assertThat(cache.hits()).as(cache.describe()).isZero();
            assertThat(cache.misses()).as(cache.describe()).isZero();
            assertThat(cache.usedBytes()).isZero();
            assertThat(cache.mappedReads()).isGreaterThan(KEYS / 3);
            assertThat(cache.mappedBytes()).isGreaterThan(cache.mappedReads() * 100);
            assertThat(db.property("lsm.block-cache"))
                    .contains("0 hits, 0 misses", cache.mappedReads() + " blocks (" + cache.mappedBytes()
                            + " bytes) read from mapped tables without the cache");
            assertThat(db.property("lsm.stats")).contains("read from mapped tables without the cache");
        }
    }

    @Test
    void concurrentReadersOfAMappedStoreSeeWhatWasWritten() throws Exception {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("DbMappedReadsTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Db db = Db.open(tempDir.resolve("db"), Options.defaults().withBlockSize(512))) {
            fill(db);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Random random = new Random(seed + t);
                done.add(pool.submit(() -> {
                    for (int op = 0; op < 300; op++) {
                        int i = random.nextInt(KEYS);
                        String where = "seed " + seed + ", op " + op + ", key " + i;
                        assertThat(db.get(key(i))).as(where).isEqualTo(value(i));
                        try (DbIterator iterator = db.iterator(ReadOptions.defaults())) {
                            iterator.seek(key(i));
                            boolean forward = random.nextBoolean();
                            for (int step = 0; step < 30 && iterator.isValid(); step++) {
                                assertThat(iterator.key()).as(where).isEqualTo(key(i));
                                assertThat(iterator.value()).as(where).isEqualTo(value(i));
                                if (forward) {
                                    iterator.next();
                                    i++;
                                } else {
                                    iterator.prev();
                                    i--;
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void scansWithoutFillCacheAndCompactionsLeaveTheCacheOfUnmappedTablesEmpty() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            BlockCache cache = BlockCache.ofBytes(4 << 20);
            try (Db db = Db.open(fs.getPath("/db"), Options.defaults().withBlockSize(512).withBlockCache(cache))) {
                fill(db);
                db.compactRange(null, null);
                assertThat(cache.usedBytes()).as("compaction inputs: " + cache.describe()).isZero();
                try (DbIterator iterator = db.iterator(ReadOptions.defaults().withFillCache(false))) {
                    int count = 0;
                    for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                        count++;
                    }
                    assertThat(count).isEqualTo(KEYS);
                }
                assertThat(cache.usedBytes()).as(cache.describe()).isZero();
                assertThat(cache.misses()).isPositive();
                try (DbIterator iterator = db.iterator(ReadOptions.defaults())) {
                    iterator.seekToFirst();
                    assertThat(iterator.key()).isEqualTo(key(0));
                }
                assertThat(cache.usedBytes()).as("a default scan fills it").isPositive();
                assertThat(cache.mappedReads()).isZero();
            }
        }
    }
}
