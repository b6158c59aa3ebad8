package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;
import org.lsmtree.manifest.ManifestReader;
import org.lsmtree.testing.ManualExecutor;

/**
 * Background flushes and leveled compaction, run by a {@link ManualExecutor} so that every run
 * replays from its seed: the shape the scores keep, trivial moves, compact pointers in the
 * MANIFEST, writes that go on while a flush waits, and the stalls.
 */
class DbBackgroundTest {
    private static final long SEED = 13;
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    /** Small buffers and levels, so that a few thousand writes make several levels. */
    private static Options small(ManualExecutor background) {
        return Options.defaults().withBackgroundExecutor(background).withWriteBufferSize(4 << 10)
                .withTargetFileSize(4 << 10).withLevelSizes(16 << 10, 4);
    }

    private static byte[] key(int i) {
        return DbOpenAndWriteTest.b(String.format("key%06d", i));
    }

    @Test
    void backgroundCompactionKeepsEveryLevelWithinItsScoreAndLevelZeroUnderTheStopTrigger() throws IOException {
        System.out.println("seed " + SEED);
        Random random = new Random(SEED);
        ManualExecutor background = new ManualExecutor(SEED);
        TreeMap<String, String> model = new TreeMap<>();
        try (Db db = Db.open(dir, small(background))) {
            for (int i = 0; i < 4000; i++) {
                int k = random.nextInt(3000);
                String value = "v" + i + "-" + "x".repeat(random.nextInt(40));
                db.put(key(k), DbOpenAndWriteTest.b(value));
                model.put(DbOpenAndWriteTest.s(key(k)), value);
                background.runSomeAtRandom();
                assertThat(Integer.parseInt(db.property("lsm.num-files-at-level0")))
                        .as("level 0 at write %d", i).isLessThan(Options.defaults().levelZeroStopTrigger());
            }
            background.runAll();
            assertThat(db.property("lsm.mem-table-flush-pending")).isEqualTo("0");
            assertThat(db.property("lsm.compaction-pending")).isEqualTo("0");
            LevelState state = db.core().internals().versions().current().state();
            CompactionPicker picker = new CompactionPicker(small(background));
            for (int level = 0; level < ManifestFormat.NUM_LEVELS - 1; level++) {
                assertThat(picker.score(state, level)).as("score of level %d once work settled\n%s", level,
                        db.property("lsm.stats")).isLessThan(1.0);
            }
            int levels = 0;
            for (int level = 1; level < ManifestFormat.NUM_LEVELS; level++) {
                levels += state.fileCount(level) > 0 ? 1 : 0;
            }
            assertThat(levels).as(db.property("lsm.stats")).isGreaterThanOrEqualTo(2);
            long moves = 0;
            for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
                moves += db.core().internals().compactionStats().moves(level);
            }
            assertThat(moves).as("trivial moves\n%s", db.property("lsm.stats")).isPositive();
            for (Map.Entry<String, String> entry : model.entrySet()) {
                assertThat(DbOpenAndWriteTest.s(db.get(DbOpenAndWriteTest.b(entry.getKey())))).isEqualTo(entry.getValue());
            }
        }
        LevelState onDisk = manifestState();
        assertThat(onDisk.compactPointers()).as("compact pointers in the MANIFEST").isNotEmpty();
        try (Db db = Db.open(dir, small(new ManualExecutor(SEED)))) {
            assertThat(db.core().internals().versions().current().state().compactPointers().keySet())
                    .isEqualTo(onDisk.compactPointers().keySet());
            for (Map.Entry<String, String> entry : model.entrySet()) {
                assertThat(DbOpenAndWriteTest.s(db.get(DbOpenAndWriteTest.b(entry.getKey())))).isEqualTo(entry.getValue());
            }
        }
    }

    @Test
    void compactPointersAdvanceRoundRobinOverALevel() throws IOException {
        ManualExecutor background = new ManualExecutor(SEED);
        byte[] previous = null;
        int advanced = 0;
        try (Db db = Db.open(dir, small(background))) {
            for (int i = 0; i < 6000; i++) {
                db.put(key((i * 7919) % 5000), new byte[30]);
                background.runAll();
                byte[] pointer = db.core().internals().versions().current().state().compactPointers().get(1);
                if (pointer != null && previous != null && !java.util.Arrays.equals(pointer, previous)) {
                    advanced++;
                }
                previous = pointer == null ? previous : pointer;
            }
        }
        assertThat(advanced).as("level 1's compact pointer moved").isGreaterThan(1);
    }

    @Test
    void writesGoOnWhileTheFullMemtableWaitsForItsFlush() throws IOException {
        ManualExecutor background = new ManualExecutor(SEED);
        try (Db db = Db.open(dir, small(background))) {
            int i = 0;
            while (background.pending() == 0) { // until a full memtable was switched for a new one
                db.put(key(i++), new byte[100]);
            }
            int switchedAt = i;
            db.put(key(i++), new byte[100]); // goes to the new memtable; the flush has not run
            assertThat(background.pending()).isEqualTo(1);
            assertThat(db.property("lsm.stats")).contains("an immutable one is being flushed");
            assertThat(db.property("lsm.mem-table-flush-pending")).isEqualTo("1");
            assertThat(db.core().internals().stalls().flushWaits()).isZero();
            for (int k = 0; k < i; k++) {
                assertThat(db.get(key(k))).as("key %d (switched at %d)", k, switchedAt).isNotNull();
            }
            while (db.core().internals().stalls().flushWaits() == 0) { // the new one fills: the writer flushes itself
                db.put(key(i++), new byte[100]);
            }
            for (int k = 0; k < i; k++) {
                assertThat(db.get(key(k))).isNotNull();
            }
        }
        try (Db db = Db.open(dir, small(new ManualExecutor(SEED)))) {
            assertThat(db.get(key(0))).isNotNull();
        }
    }

    @Test
    void flushReturnsOnceDurableEvenWhenTheExecutorRunsNothing() throws IOException {
        ManualExecutor background = new ManualExecutor(SEED);
        try (Db db = Db.open(dir, small(background))) {
            for (int i = 0; i < 200; i++) {
                db.put(key(i), new byte[50]);
            }
            db.flush();
            assertThat(db.property("lsm.memtable-bytes")).isEqualTo("0");
            assertThat(db.property("lsm.stats")).doesNotContain("an immutable one is being flushed");
            db.compactRange(null, null);
            assertThat(db.property("lsm.num-files-at-level0")).isEqualTo("0");
        }
        try (Db db = Db.open(dir, small(new ManualExecutor(SEED)))) {
            for (int i = 0; i < 200; i++) {
                assertThat(db.get(key(i))).hasSize(50);
            }
        }
    }

    @Test
    void closeLeavesAnUnflushedImmutableMemtableInItsWalForTheNextOpen() throws IOException {
        ManualExecutor background = new ManualExecutor(SEED);
        int written = 0;
        try (Db db = Db.open(dir, small(background))) {
            while (background.pending() == 0) {
                db.put(key(written++), DbOpenAndWriteTest.b("v" + written));
            }
        }
        assertThat(background.runAll()).as("queued work finds the store closed").isEqualTo(1);
        try (Db db = Db.open(dir, small(new ManualExecutor(SEED)))) {
            for (int i = 0; i < written; i++) {
                assertThat(DbOpenAndWriteTest.s(db.get(key(i)))).isEqualTo("v" + (i + 1));
            }
        }
    }

    @Test
    void writersAreDelayedThenStoppedWhenLevelZeroOutrunsCompaction() throws IOException {
        ManualExecutor background = new ManualExecutor(SEED); // never run: compaction falls behind
        Random random = new Random(SEED);
        Options options = small(background).withLevelZeroTriggers(2, 3, 5);
        TreeMap<Integer, Integer> model = new TreeMap<>();
        try (Db db = Db.open(dir, options)) {
            for (int i = 0; i < 3000; i++) {
                int k = random.nextInt(1000); // every flush overlaps the level-0 files before it
                db.put(key(k), DbOpenAndWriteTest.b("v" + i));
                model.put(k, i);
                assertThat(Integer.parseInt(db.property("lsm.num-files-at-level0"))).isLessThanOrEqualTo(5);
            }
            WriteController stalls = db.core().internals().stalls();
            assertThat(stalls.delays()).as(db.property("lsm.stats")).isPositive();
            assertThat(stalls.flushWaits()).as(db.property("lsm.stats")).isPositive();
            assertThat(stalls.compactionWaits()).as(db.property("lsm.stats")).isPositive();
            assertThat(db.property("lsm.stats")).contains("delayed 1 ms");
            for (Map.Entry<Integer, Integer> entry : model.entrySet()) {
                assertThat(DbOpenAndWriteTest.s(db.get(key(entry.getKey())))).isEqualTo("v" + entry.getValue());
            }
        }
    }

    private LevelState manifestState() throws IOException {
        var storage = NioStorage.of(fs);
        return ManifestReader.replay(storage, CurrentFile.manifest(storage, dir),
                new InternalKeyComparator(Options.defaults().comparator()), ManifestReader.TailPolicy.STRICT).state();
    }
}
