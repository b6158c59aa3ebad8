package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.engine.DbWriteBufferManagerTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.ManualExecutor;

/**
 * One {@link MemoryBudget} for blocks and memtables: memtable bytes are reserved out of the block
 * cache's capacity, so the cache's share shrinks while memtables grow and comes back once they are
 * flushed; {@code lsm.approximate-memory-usage} counts both.
 */
class DbMemoryBudgetTest {
    private static final long TOTAL = 512 << 10;
    private static final long MEMTABLES = 256 << 10;

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void memtablesChargedToTheCacheShrinkItsShareOfBlocksUntilTheyAreFlushed() throws IOException {
        MemoryBudget budget = MemoryBudget.of(TOTAL, MEMTABLES);
        BlockCache cache = budget.blockCache();
        ManualExecutor background = new ManualExecutor(4);
        Options options = Options.defaults().withMemoryBudget(budget).withBackgroundExecutor(background)
                .withWriteBufferSize(1 << 20);
        try (Db db = Db.open(fs.getPath("/db"), options)) {
            for (int i = 0; i < 6000; i++) { // about 700 KiB of tables: more than the cache holds
                db.put(key(i), new byte[100], WriteOptions.noSync());
            }
            db.flush();
            readAll(db);
            long fullCache = cache.usedBytes();
            assertThat(fullCache).as(cache.describe()).isGreaterThan(TOTAL - (64 << 10)).isLessThanOrEqualTo(TOTAL);
            assertThat(cache.reservedBytes()).isZero();

            DbWriteBufferManagerTest.fill(db, 150 << 10);
            long memtables = budget.writeBufferManager().usedBytes();
            assertThat(memtables).isGreaterThanOrEqualTo(150 << 10);
            assertThat(cache.reservedBytes()).isGreaterThanOrEqualTo(memtables);
            assertThat(cache.usedBytes()).as(cache.describe()).isLessThanOrEqualTo(TOTAL - memtables);
            assertThat(budget.usedBytes()).isLessThanOrEqualTo(TOTAL);
            readAll(db); // reads cannot take the memtables' share back
            assertThat(cache.usedBytes()).as(cache.describe()).isLessThanOrEqualTo(TOTAL - cache.reservedBytes());
            Matcher tableMemory = Pattern.compile("index and filter blocks: (\\d+) bytes").matcher(db.property("lsm.block-cache"));
            assertThat(tableMemory.find()).as(db.property("lsm.block-cache")).isTrue();
            assertThat(Long.parseLong(tableMemory.group(1))).as("open tables' index and filter blocks").isPositive();
            assertThat(Long.parseLong(db.property("lsm.approximate-memory-usage")))
                    .isEqualTo(Long.parseLong(db.property("lsm.all-memtables-bytes")) + cache.usedBytes()
                            + Long.parseLong(tableMemory.group(1)));
            assertThat(db.property("lsm.stats")).contains("bytes reserved in the block cache");

            db.flush();
            assertThat(cache.reservedBytes()).isZero();
            readAll(db);
            assertThat(cache.usedBytes()).as("the blocks have the whole budget again").isGreaterThan(fullCache - (64 << 10));
        }
    }

    @Test
    void memtablesMayNotBeGivenMoreThanTheWholeBudget() {
        assertThatThrownBy(() -> MemoryBudget.of(1 << 20, 2 << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("passes the block cache");
        assertThatThrownBy(() -> WriteBufferManager.ofBytes(10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("under 1 KiB");
    }

    private static byte[] key(int i) {
        return b(String.format("key%06d", i));
    }

    private static void readAll(Db db) throws IOException {
        for (int i = 0; i < 6000; i++) {
            assertThat(db.get(key(i))).hasSize(100);
        }
    }
}
