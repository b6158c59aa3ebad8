package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The block cache: repeated reads are served from it, and stores sharing one never see each other's blocks. */
class DbBlockCacheTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void aSecondReadOfTheSameBlockComesFromTheCache() throws IOException {
        BlockCache cache = BlockCache.ofBytes(1 << 20);
        try (Db db = Db.open(fs.getPath("/db"), Options.defaults().withBlockCache(cache))) {
            fill(db, "v");
            db.get(b("key0500"));
            long misses = cache.misses();
            long hits = cache.hits();
            assertThat(db.get(b("key0500"))).isEqualTo(b("v500"));
            assertThat(cache.misses()).as(cache.describe()).isEqualTo(misses);
            assertThat(cache.hits()).as(cache.describe()).isGreaterThan(hits);
            assertThat(cache.usedBytes()).isPositive().isLessThanOrEqualTo(cache.capacity());
            assertThat(db.property("lsm.block-cache")).contains("hits", "misses");
            assertThat(db.property("lsm.stats")).contains("block cache: ");
        }
    }

    @Test
    void storesSharingOneCacheReadTheirOwnBlocksThoughTheirFileNumbersAreEqual() throws IOException {
        BlockCache shared = BlockCache.ofBytes(4 << 20);
        try (Db a = Db.open(fs.getPath("/a"), Options.defaults().withBlockCache(shared));
                Db b = Db.open(fs.getPath("/b"), Options.defaults().withBlockCache(shared))) {
            fill(a, "a");
            fill(b, "b");
            assertThat(a.property("lsm.sstables")).isEqualTo(b.property("lsm.sstables")
                    .replace("'b", "'a")); // the same file numbers and key ranges in both
            for (int round = 0; round < 2; round++) { // the second round is served from the cache
                for (int i = 0; i < 1000; i += 7) {
                    assertThat(a.get(key(i))).isEqualTo(b("a" + i));
                    assertThat(b.get(key(i))).isEqualTo(b("b" + i));
                }
            }
            assertThat(shared.hits()).isPositive();
        }
    }

    @Test
    void aCacheOfNoBytesCachesNothingAndReadsStillWork() throws IOException {
        try (Db db = Db.open(fs.getPath("/db"), Options.defaults().withBlockCacheSize(0))) {
            fill(db, "v");
            assertThat(db.get(b("key0999"))).isEqualTo(b("v999"));
            assertThat(db.property("lsm.block-cache")).startsWith("block cache: off;");
        }
    }

    @Test
    void theIndexAndFilterBlocksOfOpenTablesAreReportedBesideTheCache() throws IOException {
        try (Db db = Db.open(fs.getPath("/db"), Options.defaults().withBlockCacheSize(1 << 20))) {
            fill(db, "v");
            assertThat(db.get(key(1))).isEqualTo(b("v1")); // the table is open
            String line = db.property("lsm.block-cache");
            assertThat(line).matches("block cache: .*; index and filter blocks: [1-9][0-9]* bytes in 1 open tables .*");
            assertThat(db.property("lsm.stats")).contains("bytes in 1 open tables");
        }
    }

    /** 1,000 keys, flushed to a table. */
    private static void fill(Db db, String prefix) throws IOException {
        for (int i = 0; i < 1000; i++) {
            db.put(key(i), b(prefix + i), WriteOptions.noSync());
        }
        db.flush();
    }

    private static byte[] key(int i) {
        return b(String.format("key%04d", i));
    }
}
