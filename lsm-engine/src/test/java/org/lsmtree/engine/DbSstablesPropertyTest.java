package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code lsm.sstables} property lists every table of every level in LevelDB's text. */
class DbSstablesPropertyTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/stores/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void anEmptyStoreListsSevenEmptyLevels() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.property("lsm.sstables")).isEqualTo("--- level 0 ---\n--- level 1 ---\n--- level 2 ---\n"
                    + "--- level 3 ---\n--- level 4 ---\n--- level 5 ---\n--- level 6 ---\n");
        }
    }

    @Test
    void flushedTablesAppearOnTheLevelsTheyGoToAndMoveDownWithACompaction() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("apple"), b("1"));
            db.put(b("pear"), b("2"));
            db.flush(); // nothing to overlap: down to level 2, as LevelDB places a flushed table
            assertThat(db.property("lsm.sstables")).containsPattern("--- level 1 ---\n--- level 2 ---\n"
                    + " \\d+:\\d+\\['apple' @ 1 : 1 \\.\\. 'pear' @ 2 : 1\\]\n--- level 3 ---\n");
            db.put(b("banana"), b("3"));
            db.flush(); // overlaps level 2's range: stays on level 1
            assertThat(db.property("lsm.sstables")).containsPattern("--- level 1 ---\n"
                    + " \\d+:\\d+\\['banana' @ 3 : 1 \\.\\. 'banana' @ 3 : 1\\]\n--- level 2 ---\n");
            db.compactRange(null, null);
            assertThat(db.property("lsm.sstables"))
                    .startsWith("--- level 0 ---\n--- level 1 ---\n--- level 2 ---\n ")
                    .contains("['apple' @ 1 : 1 .. 'pear' @ 2 : 1]");
            assertThat(db.property("lsm.sstables").lines().filter(line -> line.startsWith(" "))).hasSize(1);
        }
    }

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
