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
}
