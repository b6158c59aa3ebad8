package org.lsmtree.leveldb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.leveldb.DbContractTest.b;
import static org.lsmtree.leveldb.DbContractTest.bigValue;
import static org.lsmtree.leveldb.DbContractTest.key;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.Range;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the adapter does beyond the shared contract: its own answers, checks and limits. */
class LsmDBTest {
    @TempDir
    File directory;

    private DB db;

    @BeforeEach
    void openStore() throws IOException {
        db = LsmDBFactory.factory.open(new File(directory, "db"), new Options().writeBufferSize(16 << 10));
    }

    @AfterEach
    void closeStore() throws IOException {
        db.close();
    }

    @Test
    void approximateSizesAreTheBytesOfTheLiveKeysAndValuesInEachRange() {
        db.put(b("a"), b("12345"));
        db.put(b("b"), b("1"));
        db.put(b("b"), b("123"));
        db.put(b("c"), b("1234567"));
        db.delete(b("c"));
        db.put(b("d"), new byte[0]);
        assertThat(db.getApproximateSizes(new Range(b("a"), b("z")), new Range(b("b"), b("d")),
                new Range(b("a"), b("a")), new Range(b("e"), b("f")))).containsExactly(6 + 4 + 1, 4, 0, 0);
    }

    @Test
    void propertiesFollowTheTablesAcrossFlushesAndCompactions() throws InterruptedException {
        db.suspendCompactions(); // the files stay where the flushes put them while the properties are read
        for (int i = 0; i < 300; i++) { // a few flushes, well under level 0's stop trigger
            db.put(key(i * 7919 % 300), bigValue("v" + i)); // keys in an order whose flushes overlap
        }
        awaitNoFlushPending();
        int level0 = Integer.parseInt(db.getProperty("leveldb.num-files-at-level0"));
        assertThat(level0).as("the memtable filled several times, each flush overlapping the last").isGreaterThan(1);
        assertThat(db.getProperty("leveldb.sstables")).isEqualTo(db.getProperty("lsm.sstables"));
        assertThat(db.getProperty("leveldb.stats")).contains(String.format("%3d %8d ", 0, level0));
        db.resumeCompactions();
        db.compactRange(null, null);
        assertThat(db.getProperty("leveldb.num-files-at-level0")).isEqualTo("0");
        assertThat(db.getProperty("leveldb.stats")).doesNotContain(String.format("%3d %8d ", 0, 0))
                .containsPattern("\n  \\d +\\d+ +\\d+\n");
        assertThat(db.getProperty("leveldb.approximate-memory-usage")).isEqualTo(db.getProperty("lsm.memtable-bytes"));
        assertThat(db.getProperty("leveldb.num-files-at-level")).isNull();
        assertThat(db.getProperty("leveldb.num-files-at-levelx")).isNull();
        assertThat(db.getProperty("lsm.last-sequence")).isEqualTo("300");
    }

    /** Waits (a bounded time) until no memtable is waiting for its background flush. */
    private void awaitNoFlushPending() throws InterruptedException {
        for (int i = 0; i < 1000 && !"0".equals(db.getProperty("lsm.mem-table-flush-pending")); i++) {
            Thread.sleep(10);
        }
        assertThat(db.getProperty("lsm.mem-table-flush-pending")).isEqualTo("0");
    }

    @Test
    void aSnapshotOrBatchOfAnotherImplementationIsRefused() throws IOException {
        try (DB other = Iq80DBFactory.factory.open(new File(directory, "iq80"), new Options());
                Snapshot foreign = other.getSnapshot();
                WriteBatch batch = other.createWriteBatch()) {
            assertThatThrownBy(() -> db.get(b("k"), new ReadOptions().snapshot(foreign)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not taken from this store");
            assertThatThrownBy(() -> db.write(batch.put(b("k"), b("v"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createWriteBatch");
        }
    }

    @Test
    void aSnapshotOfAnotherStoreOfOursIsRefused() throws IOException {
        try (DB other = LsmDBFactory.factory.open(new File(directory, "other"), new Options());
                Snapshot foreign = other.getSnapshot()) {
            assertThatThrownBy(() -> db.get(b("k"), new ReadOptions().snapshot(foreign)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("another store");
        }
    }

    @Test
    void aClosedSnapshotOrBatchCannotBeUsed() throws IOException {
        Snapshot snapshot = db.getSnapshot();
        snapshot.close();
        assertThatThrownBy(() -> db.get(b("k"), new ReadOptions().snapshot(snapshot)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        WriteBatch batch = db.createWriteBatch().put(b("k"), b("v"));
        batch.close();
        assertThatThrownBy(() -> db.write(batch)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(db.get(b("k"))).isNull();
    }

    @Test
    void anIteratorOfAClosedStoreFailsClearly() throws IOException {
        DBIterator it = db.iterator();
        db.close();
        assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> db.get(b("k"))).isInstanceOf(IllegalStateException.class);
        it.close();
    }

    @Test
    void aDamagedTableIsADbExceptionNamingTheFile() throws IOException {
        for (int i = 0; i < 200; i++) {
            db.put(key(i), bigValue("v" + i));
        }
        db.compactRange(null, null);
        db.close();
        File table = firstTable(new File(directory, "db"));
        byte[] bytes = java.nio.file.Files.readAllBytes(table.toPath());
        bytes[100] ^= 0x40; // inside the first data block
        java.nio.file.Files.write(table.toPath(), bytes);
        db = LsmDBFactory.factory.open(new File(directory, "db"), new Options());
        assertThatThrownBy(() -> db.get(key(0))).isInstanceOf(DBException.class)
                .hasMessageContaining(table.getName())
                .hasCauseInstanceOf(org.lsmtree.format.CorruptionException.class);
    }

    @Test
    void compactRangeWaitsWhileCompactionsAreSuspended() throws Exception {
        db.suspendCompactions(); // nothing compacts level 0 away meanwhile
        for (int i = 0; i < 300; i++) { // enough for three flushes of the 16 KiB write buffer: the third lands in level 0
            db.put(key(i * 7919 % 300), bigValue("v" + i));
        }
        awaitNoFlushPending();
        List<Throwable> failures = new ArrayList<>();
        Thread compacting = new Thread(() -> {
            try {
                db.compactRange(null, null);
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "compacting");
        compacting.start();
        CompactionGateTest.awaitWaiting(compacting); // compactRange waits for the resume
        assertThat(Integer.parseInt(db.getProperty("leveldb.num-files-at-level0"))).isPositive();
        db.resumeCompactions();
        compacting.join();
        assertThat(failures).isEmpty();
        assertThat(db.getProperty("leveldb.num-files-at-level0")).isEqualTo("0");
        assertThatThrownBy(db::resumeCompactions).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a suspendCompactions()");
    }

    private static File firstTable(File store) {
        File[] tables = store.listFiles((dir, name) -> name.endsWith(".ldb"));
        assertThat(tables).isNotEmpty();
        java.util.Arrays.sort(tables);
        return tables[0];
    }
}
