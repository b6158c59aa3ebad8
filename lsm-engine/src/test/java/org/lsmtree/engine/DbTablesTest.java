package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;
import static org.lsmtree.engine.DbOpenAndWriteTest.s;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Flushes and compaction: tables shadow older tables, tombstones hold, compaction keeps every live key. */
class DbTablesTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void aFlushMovesTheMemtableToATableAndTrimsTheWal() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
            db.flush();
            assertThat(files(".ldb")).hasSize(1);
            assertThat(files(".log")).hasSize(1);
            assertThat(Files.size(files(".log").get(0))).isZero();
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
            // LevelDB's rule: a flush that overlaps nothing goes down to level 2
            assertThat(db.property("lsm.num-files-at-level2")).isEqualTo("1");
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void theWalIsReplayedAfterARestartWithoutAFlush() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("a"), b("1"));
            db.flush();
            db.put(b("b"), b("2")); // only in the WAL
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("a"))).isEqualTo(b("1"));
            assertThat(db.get(b("b"))).isEqualTo(b("2"));
        }
    }

    @Test
    void aNewerTableShadowsAnOlderOne() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("old"));
            db.flush();
            db.put(b("k"), b("new"));
            db.flush();
            assertThat(files(".ldb")).hasSize(2);
            assertThat(db.get(b("k"))).isEqualTo(b("new"));
            assertThat(scan(db)).containsExactly("k=new");
        }
    }

    @Test
    void aDeleteSurvivesFlushCompactionAndRestartWithoutResurrection() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
            db.put(b("keep"), b("1"));
            db.flush();
            db.compactRange(null, null); // "k" now lives deeper than level 0
            db.delete(b("k"));
            db.flush(); // the tombstone sits in a newer table above the value
            assertThat(db.get(b("k"))).isNull();
            db.compactRange(null, null);
            assertThat(db.get(b("k"))).isNull();
            assertThat(scan(db)).containsExactly("keep=1");
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("k"))).isNull();
            assertThat(scan(db)).containsExactly("keep=1");
        }
    }

    @Test
    void compactionKeepsEveryLiveKeyAndWhatSnapshotsSee() throws IOException {
        try (Db db = Db.open(dir, Options.defaults().withWriteBufferSize(8 << 10))) {
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 300; i++) {
                    db.put(b(String.format("key%04d", i)), b("round" + round + "-" + i));
                }
                if (round % 2 == 1) {
                    for (int i = 0; i < 300; i += 7) {
                        db.delete(b(String.format("key%04d", i)));
                    }
                }
            }
            try (Snapshot snapshot = db.snapshot()) {
                db.put(b("key0001"), b("after-snapshot"));
                db.compactRange(null, null);
                assertThat(db.get(b("key0001"), ReadOptions.at(snapshot))).isEqualTo(b("round4-1"));
                assertThat(db.get(b("key0001"))).isEqualTo(b("after-snapshot"));
            }
            for (int i = 0; i < 300; i++) {
                assertThat(db.get(b(String.format("key%04d", i)))).as("key %d", i)
                        .isEqualTo(i == 1 ? b("after-snapshot") : b("round4-" + i));
            }
            assertThat(scan(db)).hasSize(300);
            assertThat(db.property("lsm.stats")).contains("    0      0  ");
        }
    }

    @Test
    void anIteratorKeepsItsFilesAliveAfterTheyLeaveTheCurrentVersion() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("a"), b("0"));
            db.flush(); // to level 2: nothing above overlaps
            db.put(b("a"), b("1"));
            db.put(b("b"), b("2"));
            db.flush(); // to level 1, above the table it overlaps
            List<Path> before = files(".ldb");
            assertThat(before).hasSize(2);
            try (DbIterator it = db.iterator(ReadOptions.defaults())) {
                it.seekToFirst();
                db.compactRange(null, null); // the flushed table is replaced
                assertThat(files(".ldb")).containsAll(before);
                assertThat(s(it.key())).isEqualTo("a");
                it.next();
                assertThat(s(it.value())).isEqualTo("2");
            }
            assertThat(files(".ldb")).doesNotContainAnyElementsOf(before);
        }
    }

    @Test
    void theManifestAloneDecidesWhichTablesAreLive() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
            db.flush();
        }
        Path table = files(".ldb").get(0);
        Files.copy(table, dir.resolve("000500.ldb")); // an orphan holding real entries
        try (Db db = Db.open(dir, Options.defaults())) {
            db.delete(b("k"));
            db.flush();
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("k"))).isNull();
        }
        assertThat(Files.exists(dir.resolve("000500.ldb"))).isFalse();
    }

    /**
     * One user key's entries split over two files of a level (LevelDB writes such files): moving
     * only the file with the newer entry down must not let the older one shadow it. Found in review.
     */
    @Test
    void compactionNeverSeparatesTheEntriesOfOneUserKey() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("b"), b("x"));
            db.compactRange(null, null); // "b" now on level 2 (a flush overlapping nothing goes there)
        }
        var storage = org.lsmtree.format.storage.NioStorage.of(fs);
        var comparator = new org.lsmtree.format.key.InternalKeyComparator(Options.defaults().comparator());
        var state = org.lsmtree.manifest.ManifestReader.replay(storage,
                org.lsmtree.manifest.CurrentFile.manifest(storage, dir), comparator,
                org.lsmtree.manifest.ManifestReader.TailPolicy.STRICT).state();
        assertThat(state.files(2)).hasSize(1);

        try (Db db = Db.open(dir, Options.defaults())) {
            byte[] oldValue = new byte[3000];
            Arrays.fill(oldValue, (byte) 'o');
            byte[] newValue = new byte[3000];
            Arrays.fill(newValue, (byte) 'n');
            db.put(b("k"), oldValue);
            try (Snapshot snapshot = db.snapshot()) {
                db.put(b("k"), newValue);
                db.put(b("a"), new byte[(2 << 20) - 1000]); // fills a compaction output just before "k"
                db.put(b("z"), b("z"));
                db.compactRange(null, b("j")); // level 0 -> 1 (the 2 MiB cut falls after k's newer entry), then 1 -> 2
                assertThat(Arrays.equals(db.get(b("k")), newValue)).as("k reads its newest value").isTrue();
                assertThat(Arrays.equals(db.get(b("k"), ReadOptions.at(snapshot)), oldValue))
                        .as("k at the snapshot reads the older value").isTrue();
            }
            db.delete(b("k"));
            db.compactRange(null, b("j"));
            db.compactRange(null, null);
            assertThat(db.get(b("k"))).isNull();
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("k"))).isNull();
        }
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static List<String> scan(Db db) throws IOException {
        List<String> entries = new ArrayList<>();
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                entries.add(s(it.key()) + "=" + s(it.value()));
            }
        }
        return entries;
    }
}
