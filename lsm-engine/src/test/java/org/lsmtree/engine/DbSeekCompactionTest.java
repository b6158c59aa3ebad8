package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;
import static org.lsmtree.engine.DbOpenAndWriteTest.s;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.ManualExecutor;

/**
 * Compactions that reads trigger (LevelDB's allowed seeks), on a store of two tables over the
 * same key range: the even keys in a table at level 2, the odd keys in one at level 1. A lookup of
 * an even key looks into the level-1 table in vain before it finds the key at level 2, so it
 * spends a seek of the level-1 table; 100 such lookups (the budget of a small table) mark it, and
 * the compaction scheduled merges it into level 2. Background work runs on a {@link ManualExecutor},
 * so what was scheduled is seen exactly.
 */
class DbSeekCompactionTest {
    private static final long SEED = 1414;
    private static final int KEYS = 400;
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    private static String key(int i) {
        return String.format("key%05d", i);
    }

    private static String value(int i, int bytes) {
        return i + "-" + "v".repeat(bytes);
    }

    /** Even keys flushed first (they go to level 2), then odd ones (level 1, above them); no work left queued. */
    private static void writeTwoLevels(Db db, ManualExecutor background, int valueBytes) throws IOException {
        for (int parity = 0; parity < 2; parity++) {
            for (int i = parity; i < KEYS; i += 2) {
                db.put(b(key(i)), b(value(i, valueBytes)));
            }
            db.flush();
        }
        background.runAll();
        assertThat(levelFiles(db)).as(db.property("lsm.sstables")).isEqualTo("0 1 1");
    }

    /** The file counts of levels 0, 1 and 2. */
    private static String levelFiles(Db db) {
        return db.property("lsm.num-files-at-level0") + " " + db.property("lsm.num-files-at-level1") + " "
                + db.property("lsm.num-files-at-level2");
    }

    private static int levelOneBudget(Db db) {
        return db.core().internals().versions().current().levelFiles(1).allowedSeeks(0);
    }

    private static void assertEveryKeyReads(Db db, int valueBytes) throws IOException {
        for (int i = 0; i < KEYS; i++) {
            assertThat(s(db.get(b(key(i))))).as(key(i)).isEqualTo(value(i, valueBytes));
        }
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            int i = 0;
            for (it.seekToFirst(); it.isValid(); it.next(), i++) {
                assertThat(s(it.key())).isEqualTo(key(i));
                assertThat(s(it.value())).isEqualTo(value(i, valueBytes));
            }
            assertThat(i).isEqualTo(KEYS);
        }
    }

    /** An even key within the level-1 table's range (key 0 lies before it: a lookup of it asks level 2 alone). */
    private static int evenInsideLevelOne(Random random) {
        return 2 + 2 * random.nextInt(KEYS / 2 - 1);
    }

    /** Reads each key once, from the end back (both ways of iteration get sampled). */
    private static long scanBackwards(Db db) throws IOException {
        long bytes = 0;
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seekToLast(); it.isValid(); it.prev()) {
                bytes += it.keyView().remaining() + it.valueView().remaining();
            }
        }
        return bytes;
    }

    @Test
    void lookupsThatProbeATableInVainCompactItOnceItsBudgetIsSpent() throws IOException {
        System.out.println("DbSeekCompactionTest seed " + SEED);
        Random random = new Random(SEED);
        ManualExecutor background = new ManualExecutor(SEED);
        try (Db db = Db.open(dir, Options.defaults().withBackgroundExecutor(background))) {
            writeTwoLevels(db, background, 20);
            assertThat(levelOneBudget(db)).isEqualTo(100);
            for (int n = 0; n < 50; n++) { // found in the first table looked into: no charge
                int odd = 2 * random.nextInt(KEYS / 2) + 1;
                assertThat(s(db.get(b(key(odd))))).isEqualTo(value(odd, 20));
            }
            assertThat(levelOneBudget(db)).isEqualTo(100);
            for (int n = 0; n < 99; n++) {
                int even = evenInsideLevelOne(random);
                assertThat(s(db.get(b(key(even))))).isEqualTo(value(even, 20));
            }
            assertThat(levelOneBudget(db)).isEqualTo(1);
            assertThat(background.pending()).as("nothing scheduled before the budget is spent").isZero();
            assertThat(db.get(b(key(evenInsideLevelOne(random))))).isNotNull();
            assertThat(background.pending()).as("the 100th seek schedules a compaction").isEqualTo(1);
            assertThat(db.property("lsm.compaction-pending")).isEqualTo("1");

            background.runAll();
            CompactionStats stats = db.core().internals().compactionStats();
            assertThat(stats.seekCompactions()).isEqualTo(1);
            assertThat(stats.compactions()).isEqualTo(1);
            assertThat(levelFiles(db)).as("the level-1 table merged into level 2").isEqualTo("0 0 1");
            assertThat(db.property("lsm.stats")).contains("seek-triggered compactions: 1 (of 1 merges and 0 moves)");
            assertThat(db.property("lsm.compaction-pending")).isEqualTo("0");
            assertEveryKeyReads(db, 20);
            assertThat(background.pending()).as("one table left: lookups charge nothing").isZero();
        }
    }

    @Test
    void iteratorsSampleWhatTheyReadAndTriggerACompactionToo() throws IOException {
        ManualExecutor background = new ManualExecutor(SEED);
        try (Db db = Db.open(dir, Options.defaults().withBackgroundExecutor(background))) {
            writeTwoLevels(db, background, 4000); // about 1.6 MB a scan: some 1.6 samples each, on average
            long bytes = 0;
            int scans = 0;
            while (background.pending() == 0 && scans < 1000) {
                bytes += scanBackwards(db);
                scans++;
            }
            System.out.println("DbSeekCompactionTest: " + scans + " scans, " + bytes + " bytes read, scheduled the compaction");
            assertThat(background.pending()).as("a compaction scheduled after %d scans", scans).isEqualTo(1);
            assertThat(levelOneBudget(db)).isLessThanOrEqualTo(0);
            // 100 samples at least, one per 2 MiB at most: a sampling slower than the period fails here.
            assertThat(bytes).isGreaterThan(50L * SeekCompactions.READ_BYTES_PERIOD);
            assertThat(bytes).isLessThan(200L * SeekCompactions.READ_BYTES_PERIOD);
            background.runAll();
            assertThat(db.core().internals().compactionStats().seekCompactions()).isEqualTo(1);
            assertThat(levelFiles(db)).isEqualTo("0 0 1");
            assertEveryKeyReads(db, 4000);
        }
    }

    @Test
    void withSeekCompactionOffReadsScheduleNothing() throws IOException {
        ManualExecutor background = new ManualExecutor(SEED);
        try (Db db = Db.open(dir, Options.defaults().withBackgroundExecutor(background).withSeekCompaction(false))) {
            writeTwoLevels(db, background, 4000);
            for (int n = 0; n < 500; n++) {
                assertThat(db.get(b(key(2 * (n % (KEYS / 2)))))).isNotNull();
            }
            for (int n = 0; n < 100; n++) {
                scanBackwards(db);
            }
            assertThat(background.pending()).isZero();
            assertThat(levelOneBudget(db)).as("nothing charged").isEqualTo(100);
            assertThat(levelFiles(db)).isEqualTo("0 1 1");
            assertThat(db.core().internals().compactionStats().seekCompactions()).isZero();
        }
    }

    @Test
    void aReadOnlyStoreChargesAndSchedulesNothing() throws IOException {
        ManualExecutor writer = new ManualExecutor(SEED);
        try (Db db = Db.open(dir, Options.defaults().withBackgroundExecutor(writer))) {
            writeTwoLevels(db, writer, 4000);
        }
        ManualExecutor background = new ManualExecutor(SEED);
        try (Db db = Db.openReadOnly(dir, Options.defaults().withBackgroundExecutor(background))) {
            for (int n = 0; n < 500; n++) {
                assertThat(db.get(b(key(2 * (n % (KEYS / 2)))))).isNotNull();
            }
            for (int n = 0; n < 100; n++) {
                scanBackwards(db);
            }
            assertThat(background.pending()).isZero();
            assertThat(background.ran()).isZero();
            assertThat(levelOneBudget(db)).as("nothing charged").isEqualTo(100);
            assertThat(levelFiles(db)).isEqualTo("0 1 1");
            assertEveryKeyReads(db, 4000);
        }
    }
}
