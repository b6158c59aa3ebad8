package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;
import static org.lsmtree.engine.DbOpenAndWriteTest.s;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.OperationKind;
import org.lsmtree.testing.TortureReport;

/**
 * The paranoid file check ({@link OutputCheck}): a bit flipped on its way into a new table of a
 * flush, a compaction or a recovery (a seeded {@link Fault#flippingABit} rule of the
 * {@link FaultInjectingStorage}) is caught before the table is installed; the table is deleted,
 * the store reports a background error naming it, its data stays readable, {@link Db#resume()}
 * writes the table again, and a reopen finds every write. A flip the check lets through must be
 * harmless: every key then still reads back right. With the check switched off, the same damage
 * reaches a version and only a later read finds it.
 */
class DbOutputCheckTest {
    private static final Pattern NAMED_TABLE = Pattern.compile("corruption in (/db/\\d{6}\\.ldb)");
    private static final TortureReport REPORT = new TortureReport("DbOutputCheckTest");
    private static final String FLUSH_FLIPS = "bits flipped into flush outputs";
    private static final String COMPACTION_FLIPS = "bits flipped into compaction outputs";
    private static final String CAUGHT = "flips caught before install";
    /** Seen: a flip into the zero padding of the footer, which no reader of a table uses. */
    private static final String LET_THROUGH = "flips let through (harmless: every key read back right)";

    static {
        for (String figure : new String[] {FLUSH_FLIPS, COMPACTION_FLIPS, CAUGHT, LET_THROUGH}) {
            REPORT.add(figure, 0);
        }
    }
    /** Seeds per test; {@code -Ptorture} (property {@code lsm.torture}) runs 200. */
    private static final int SEEDS = Boolean.getBoolean("lsm.torture") ? 200 : 16;
    /** Appends to skip before the flip: the seed modulo this. */
    private static final int SKIPS = 12;

    @AfterAll
    static void printFigures() {
        System.out.print(REPORT.render());
    }

    private static Options options(FaultInjectingStorage storage, ManualExecutor background) {
        return Options.defaults().withStorage(storage).withBackgroundExecutor(background).withWriteBufferSize(2048)
                .withTargetFileSize(2048).withLevelZeroTriggers(2, 8, 12);
    }

    private static byte[] key(int i) {
        return b(String.format("key%05d", i));
    }

    /**
     * The flip lands in the {@code skip}-th append to tables: each block's contents and trailer,
     * then the footer (a flushed table here takes 11 appends), or in the next table.
     */
    private static Fault flipInTable(long seed, int skip) {
        return Fault.on(OperationKind.APPEND).matching("*.ldb").skipFirst(skip).once().flippingABit(seed);
    }

    /** What a test does with the store of one seed; the model holds every write it acknowledged. */
    private interface SeedCase {
        void run(int seed, Db db, Path dir, FaultInjectingStorage storage, ManualExecutor background,
                TreeMap<String, String> model, String context) throws IOException;
    }

    /** Runs {@code body} on a fresh store per seed, then reopens it: every acknowledged write is there. */
    private static void forEachSeed(SeedCase body) throws IOException {
        for (int seed = 0; seed < SEEDS; seed++) {
            try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
                Path dir = fs.getPath("/db");
                FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
                ManualExecutor background = new ManualExecutor(seed);
                TreeMap<String, String> model = new TreeMap<>();
                String context = "seed " + seed;
                try (Db db = Db.open(dir, options(storage, background))) {
                    body.run(seed, db, dir, storage, background, model, context);
                }
                try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
                    assertEveryKey(db, model, context + ", after reopen");
                }
            }
        }
    }

    @Test
    void aBitFlippedIntoAFlushedTableIsCaughtBeforeInstallAndResumeWritesItAgain() throws IOException {
        forEachSeed((seed, db, dir, storage, background, model, context) -> {
            for (int i = 0; background.pending() == 0; i++) { // until a full memtable waits for its flush
                db.put(key(i), b("v" + i));
                model.put(s(key(i)), "v" + i);
            }
            String error = flipDuringBackgroundWork(seed, db, storage, background, model, context, FLUSH_FLIPS);
            if (error == null) {
                return;
            }
            if (!error.isEmpty()) {
                assertCaught(db, dir, error, context);
                assertThatThrownBy(() -> db.put(b("after"), b("x"))).as(context).hasMessageContaining("read-only");
                assertEveryKey(db, model, context + ", before resume");
                db.resume();
            }
            assertEveryKey(db, model, context);
            db.put(b("after"), b("resumed"));
            model.put("after", "resumed");
        });
        assertThat(REPORT.get(FLUSH_FLIPS)).isGreaterThan(SEEDS / 2);
    }

    @Test
    void aBitFlippedIntoACompactionOutputIsCaughtNotRetriedAndResumeCompactsAgain() throws IOException {
        forEachSeed((seed, db, dir, storage, background, model, context) -> {
            for (int round = 0; round < 4; round++) { // to levels 2, 1, 0, 0: a level-0 compaction is due
                for (int i = 0; i < 50; i++) {
                    db.put(key(i), b("v" + round + "-" + i));
                    model.put(s(key(i)), "v" + round + "-" + i);
                }
                db.flush();
            }
            assertThat(background.pending()).as(context).isPositive();
            String error = flipDuringBackgroundWork(seed, db, storage, background, model, context, COMPACTION_FLIPS);
            if (error == null) {
                return;
            }
            if (!error.isEmpty()) {
                assertCaught(db, dir, error, context);
                long installed = db.core().internals().compactionStats().compactions(); // before the damaged one
                assertEveryKey(db, model, context + ", before resume");
                db.resume();
                background.runAll();
                assertThat(db.core().internals().compactionStats().compactions()).as(context).isGreaterThan(installed);
            }
            assertEveryKey(db, model, context);
        });
        assertThat(REPORT.get(COMPACTION_FLIPS)).isGreaterThan(SEEDS / 2);
    }

    @Test
    void aBitFlippedIntoTheTableOfARecoveryFailsTheOpenAndTheNextOpenWritesItAgain() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
            try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
                for (int i = 0; i < 100; i++) {
                    db.put(key(i), b("v" + i));
                }
            } // the writes stay in the WAL: the next open writes them to a level-0 table
            storage.failWhen(flipInTable(7, 0));
            assertThatThrownBy(() -> Db.open(dir, Options.defaults().withStorage(storage)))
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).matches("/db/\\d{6}\\.ldb");
                        assertThat(Files.exists(fs.getPath(e.file()))).as("the failed table is deleted").isFalse();
                    })
                    .hasMessageContaining("paranoid file check");
            try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
                for (int i = 0; i < 100; i++) {
                    assertThat(s(db.get(key(i)))).isEqualTo("v" + i);
                }
            }
        }
    }

    @Test
    void withTheCheckOffTheSameFlipIsInstalledAndOnlyALaterReadFindsIt() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
            ManualExecutor background = new ManualExecutor(3);
            try (Db db = Db.open(dir, options(storage, background).withParanoidFileChecks(false))) {
                int written = 0;
                while (background.pending() == 0) {
                    db.put(key(written), b("v" + written));
                    written++;
                }
                storage.failWhen(flipInTable(3, 0)); // the first data block
                background.runAll();
                assertThat(storage.faultsInjected()).isEqualTo(1);
                assertThat(db.property("lsm.background-error")).isEmpty();
                assertThat(db.property("lsm.mem-table-flush-pending")).isEqualTo("0");
                assertThatThrownBy(() -> db.get(key(0))).isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(".ldb");
            }
        }
    }

    /**
     * Arms a bit flip into the tables the background work writes, runs that work, and counts what
     * came of it under {@code figure}; returns the store's background error (empty: the flip was
     * let through), or null when the tables took fewer appends than the flip skips.
     */
    private static String flipDuringBackgroundWork(int seed, Db db, FaultInjectingStorage storage,
            ManualExecutor background, TreeMap<String, String> model, String context, String figure) throws IOException {
        storage.failWhen(flipInTable(seed, seed % SKIPS));
        background.runAll();
        if (storage.faultsInjected() == 0) {
            storage.clearFaults();
            assertEveryKey(db, model, context + ", nothing flipped");
            return null;
        }
        REPORT.count(figure);
        String error = db.property("lsm.background-error");
        REPORT.count(error.isEmpty() ? LET_THROUGH : CAUGHT);
        return error;
    }

    /** The error names a table that is gone from the disk and from every level. */
    private static void assertCaught(Db db, Path dir, String error, String context) {
        assertThat(error).as(context).contains("paranoid file check");
        Matcher named = NAMED_TABLE.matcher(error);
        assertThat(named.find()).as(context + ": " + error).isTrue();
        Path table = dir.resolve(dir.getFileSystem().getPath(named.group(1)).getFileName());
        assertThat(Files.exists(table)).as(context + ": the failed table is deleted").isFalse();
        String number = Long.toString(Long.parseLong(table.getFileName().toString().substring(0, 6)));
        assertThat(db.property("lsm.sstables")).as(context).doesNotContainPattern("(?m)^\\s*" + number + ":");
    }

    private static void assertEveryKey(Db db, TreeMap<String, String> model, String context) throws IOException {
        TreeMap<String, String> seen = new TreeMap<>();
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                seen.put(s(it.key()), s(it.value()));
            }
        }
        assertThat(seen).as(context).isEqualTo(model);
    }
}
