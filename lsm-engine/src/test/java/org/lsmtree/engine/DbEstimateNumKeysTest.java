package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code lsm.estimate-num-keys}: memtable entries plus the entries live tables record, without a scan. */
class DbEstimateNumKeysTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    private static long estimate(Db db) {
        return Long.parseLong(db.property("lsm.estimate-num-keys"));
    }

    private static int tableCount(Db db) {
        int tables = 0;
        for (int level = 0; level < 7; level++) {
            tables += Integer.parseInt(db.property("lsm.num-files-at-level" + level));
        }
        return tables;
    }

    @Test
    void distinctKeysAreCountedInTheMemtableAndInTablesAlike() throws IOException {
        try (Db db = Db.open(fs.getPath("/db"), Options.defaults())) {
            assertThat(estimate(db)).isZero();
            for (int i = 0; i < 300; i++) {
                db.put(b(String.format("key%04d", i)), b("v"));
            }
            assertThat(estimate(db)).isEqualTo(300);
            db.flush();
            assertThat(tableCount(db)).isEqualTo(1);
            for (int i = 300; i < 420; i++) {
                db.put(b(String.format("key%04d", i)), b("v"));
            }
            assertThat(estimate(db)).as("300 in a table, 120 in the memtable").isEqualTo(420);
        }
    }

    @Test
    void theEstimateSurvivesAReopenAndShrinksWhenCompactionDropsOverwrittenVersions() throws IOException {
        try (Db db = Db.open(fs.getPath("/db"), Options.defaults())) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 200; i++) {
                    db.put(b(String.format("key%04d", i)), b("v" + round));
                }
                db.flush();
            }
            assertThat(estimate(db)).as("every version counts until compaction").isEqualTo(400);
        }
        try (Db db = Db.open(fs.getPath("/db"), Options.defaults())) {
            assertThat(estimate(db)).isEqualTo(400);
            db.compactRange(null, null);
            assertThat(estimate(db)).isEqualTo(200);
        }
    }
}
