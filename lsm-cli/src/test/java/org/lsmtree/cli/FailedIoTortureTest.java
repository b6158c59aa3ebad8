package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.cli.SeededBatches.bytes;
import static org.lsmtree.cli.SeededBatches.text;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.WriteOptions;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.ForwardingStorage;
import org.lsmtree.testing.InjectedFaultException;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.OperationKind;
import org.lsmtree.testing.TortureReport;

/**
 * Failed I/O at every storage operation of a workload, and a full disk at every byte budget of
 * it. The workload (synced batches with deletes and a read after each, a manual flush and a
 * manual compaction, on a 2 KiB write buffer with a level-0 trigger of 2 and a MANIFEST rotating
 * at 1 KiB) runs its background flushes and compactions on a seeded {@link ManualExecutor}, so
 * every run numbers its storage operations the same way until the fault fires. For each
 * operation {@code n}: a fault that fails operation {@code n} once, and one that fails {@code n}
 * and every operation after it (sticky); for the full disk, every append-sized step of the byte
 * budget from 0 to all the workload writes, the append that crosses the budget writing nothing, or
 * writing what fits (as {@code write(2)} may) and failing; {@code -Ptorture} also tries the last
 * budget of each append and one inside it, which must fail the same append first.
 *
 * <p>Each run must: report the fault from the failing call or put the store in its background
 * error state, or absorb it (a retried compaction, an obsolete file left for later; never a
 * failed write of a log, MANIFEST or CURRENT) with every read right; never read a value no issued batch gives; and once the fault is lifted and the store
 * resumed ({@link Db#resume()}) or closed and reopened (alternating runs), hold every
 * acknowledged write and nothing deleted ({@link ExpectedState}), take new writes, and pass the
 * checks of {@code lsm verify <dir>}. {@code -Ptorture} (property {@code lsm.torture}) runs 8
 * workload seeds instead of 1 ({@code -Dlsm.faults.seeds=N} sets it), each run both ways.
 */
class FailedIoTortureTest {
    private static final boolean TORTURE = Boolean.getBoolean("lsm.torture");
    private static final long FIRST_SEED = Long.getLong("lsm.faults.seed", 15);
    private static final int SEEDS = Integer.getInteger("lsm.faults.seeds", TORTURE ? 8 : 1);
    private static final int STEPS = 40;
    private static final int KEYS = 24;
    private static final TortureReport REPORT = new TortureReport("FailedIoTortureTest");
    private static final String RUNS = "workload runs";
    private static final String ERROR_STATE = "faults that put the store in its error state";
    private static final String CALL_REPORTED = "faults reported by the failing call alone";
    private static final String ABSORBED = "faults absorbed (retried or harmless), reads right";
    private static final String RESUMED = "runs recovered by resume()";
    private static final String REOPENED = "runs recovered by reopening";
    private static final String VERIFY_PROBLEMS = "verification problems";

    static {
        for (String figure : List.of(RUNS, TortureReport.IO_FAULTS, ERROR_STATE, CALL_REPORTED, ABSORBED, RESUMED,
                REOPENED, TortureReport.ACKED_WRITES_LOST, TortureReport.KEYS_RESURRECTED, VERIFY_PROBLEMS)) {
            REPORT.add(figure, 0);
        }
    }

    @AfterAll
    static void printFigures() {
        System.out.print(REPORT.render());
    }

    /** How a run gets the store writable again once the fault is lifted. */
    private enum Recovery { RESUME, REOPEN }

    @Test
    void everyOperationFailingOnceIsReportedOrAbsorbedAndLosesNothing() throws IOException {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            long operations = dryRun(seed);
            for (long n = 1; n <= operations; n++) {
                runBothWays(seed, Fault.atOperation(n).once(), n, "operation " + n + " failing once");
            }
            REPORT.add("operations failed once, seed " + seed, operations);
        }
    }

    @Test
    void everyOperationFailingForGoodIsReportedAndLosesNothingOnceLifted() throws IOException {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            long operations = dryRun(seed);
            for (long n = 1; n <= operations; n++) {
                runBothWays(seed, Fault.onAnyOperation().fromOperation(n), n, "operations from " + n + " failing");
            }
            REPORT.add("operations failed for good, seed " + seed, operations);
        }
    }

    @Test
    void aFullDiskAtEveryByteBudgetIsReportedAndLosesNothingOnceSpaceIsBack() throws IOException {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            long total = dryRun(seed, true);
            Random inside = new Random(seed);
            long classes = 0;
            long runs = 0;
            long budget = 0;
            while (true) {
                long next = fullDiskAt(seed, budget, classes);
                runs++;
                classes++;
                if (next < 0) {
                    break; // the whole workload fit
                }
                // Every budget from here to the end of the append that failed fails that append
                // first, the same way: one run stands for them all. -Ptorture checks that with
                // the last budget of the class and one drawn inside it.
                if (TORTURE) {
                    for (long other : new long[] {next - 1, budget + 1 + (long) (inside.nextDouble() * (next - budget - 2))}) {
                        if (other > budget && other < next) {
                            assertThat(fullDiskAt(seed, other, classes)).as("budget %s fails what %s fails", other, budget)
                                    .isEqualTo(next);
                            runs++;
                        }
                    }
                }
                budget = next;
            }
            assertThat(budget).as("the budgets walked up to all the workload writes").isGreaterThanOrEqualTo(total);
            REPORT.add("full-disk budgets tried (one per append, each in both forms), seed " + seed, runs);
            REPORT.add("bytes of budget covered, seed " + seed, total);
        }
    }

    /**
     * The workload on a disk full after {@code budget} bytes, in both forms (the failing append
     * writing nothing, or what fits); returns the smallest budget past the append that failed
     * first (the same in both forms), or -1 when everything fit.
     */
    private static long fullDiskAt(long seed, long budget, long index) throws IOException {
        long next = runBothWays(seed, Fault.diskFullAfter(budget), index, "disk full after " + budget + " bytes")
                .firstFailedAppendEnd();
        long nextWritingWhatFits = runBothWays(seed, Fault.diskFullAfterWritingWhatFits(budget), index + 1,
                "disk full after " + budget + " bytes, writing what fits").firstFailedAppendEnd();
        assertThat(nextWritingWhatFits).as("the same append fails first at budget %s", budget).isEqualTo(next);
        return next;
    }

    /** A run without a fault: the workload's operation count, once it is known to flush and compact in the background. */
    private static long dryRun(long seed) throws IOException {
        return dryRun(seed, false);
    }

    /** A run without a fault: the workload's operation count, or with {@code bytes} the bytes it appends. */
    private static long dryRun(long seed, boolean bytes) throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            BackgroundTables tables = new BackgroundTables(NioStorage.of(fs));
            FaultInjectingStorage storage = FaultInjectingStorage.wrap(tables);
            ManualExecutor background = new ManualExecutor(seed);
            ExpectedState expected = new ExpectedState();
            long workload;
            try (Db db = Db.open(fs.getPath("/db"), options(storage, background))) {
                Random reads = new Random(seed);
                for (int step = 0; step < STEPS; step++) {
                    assertThat(step(db, seed, step, expected, reads)).as("the dry run fails nothing").isFalse();
                    tables.background = true;
                    runBackground(background, step);
                    tables.background = false;
                }
                workload = bytes ? storage.bytesWritten() : storage.operationCount();
                assertThat(SeededBatches.scan(db)).isEqualTo(expected.acknowledged());
            }
            assertThat(tables.created).as("tables written by background flushes and compactions").isGreaterThanOrEqualTo(4);
            assertThat(tables.deleted).as("tables a background compaction replaced").isGreaterThanOrEqualTo(2);
            return workload;
        }
    }

    /** Runs the workload with {@code fault} recovering by resume() and by reopening ({@code -Ptorture}), or one of them by {@code index}. */
    private static FaultInjectingStorage runBothWays(long seed, Fault fault, long index, String what) throws IOException {
        FaultInjectingStorage storage = null;
        for (Recovery recovery : Recovery.values()) {
            if (TORTURE || recovery.ordinal() == index % 2) {
                storage = run(seed, fault, recovery, "seed " + seed + ", " + what + ", then " + recovery);
            }
        }
        return storage;
    }

    private static FaultInjectingStorage run(long seed, Fault fault, Recovery recovery, String context) throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
            ManualExecutor background = new ManualExecutor(seed);
            ExpectedState expected = new ExpectedState();
            storage.failWhen(fault);
            boolean callFailed = false;
            boolean errorState = false;
            Db db = null;
            try {
                db = Db.open(dir, options(storage, background));
            } catch (IOException e) {
                callFailed = true;
            }
            if (db != null) {
                try {
                    Random reads = new Random(seed);
                    for (int step = 0; step < STEPS; step++) {
                        callFailed |= step(db, seed, step, expected, reads);
                        runBackground(background, step);
                    }
                    storage.clearFaults();
                    errorState = !db.property("lsm.background-error").isEmpty();
                    check(SeededBatches.scan(db), expected, context + ", before recovery");
                    if (recovery == Recovery.RESUME) {
                        db.resume();
                        assertThat(db.property("lsm.background-error")).as(context).isEmpty();
                        background.runAll();
                        check(SeededBatches.scan(db), expected, context + ", after resume()");
                        write(db, expected, Map.of("after", "resumed"), context);
                        REPORT.count(RESUMED);
                    }
                } finally {
                    storage.clearFaults();
                    db.close();
                }
            }
            storage.clearFaults();
            if (recovery == Recovery.REOPEN || db == null) {
                REPORT.count(REOPENED);
            }
            long fired = storage.faultsInjected();
            REPORT.count(RUNS);
            REPORT.add(TortureReport.IO_FAULTS, fired);
            if (fired > 0) {
                REPORT.count(errorState ? ERROR_STATE : callFailed ? CALL_REPORTED : ABSORBED);
                if (!errorState && !callFailed) {
                    // What may pass unreported: work on tables a retried compaction redoes, and
                    // deletions an open redoes; never a write of a log, MANIFEST or CURRENT.
                    InjectedFaultException first = storage.firstFailure().orElseThrow();
                    String name = first.path().getFileName().toString().replaceAll("\\d+", "N");
                    REPORT.count("absorbed: " + first.kind() + " of " + name);
                    assertThat(first.kind() == OperationKind.DELETE || !name.matches("N\\.log|MANIFEST-N|CURRENT|N\\.dbtmp"))
                            .as("%s: %s passed unreported", context, first.getMessage()).isTrue();
                }
            }
            ManualExecutor after = new ManualExecutor(seed);
            try (Db reopened = Db.open(dir, options(storage, after))) {
                check(SeededBatches.scan(reopened), expected, context + ", after reopening");
                write(reopened, expected, Map.of("after", "reopened"), context);
                after.runAll();
            }
            List<Verdict> verdicts = VerifyCommand.verifyStore(NioStorage.of(fs), dir, total -> Progress.none());
            long problems = verdicts.stream().mapToLong(v -> v.problems().size()).sum();
            REPORT.add(VERIFY_PROBLEMS, problems);
            assertThat(problems).as("%s: lsm verify finds %s", context, verdicts).isZero();
            return storage;
        }
    }

    /**
     * Step {@code step} of the workload: a manual flush, a manual compaction, or a synced batch
     * followed by a read of a random key that must give a value some issued batch allows. Returns
     * whether a call failed (with an {@link IOException}: anything else fails the test).
     */
    private static boolean step(Db db, long seed, int step, ExpectedState expected, Random reads) {
        try {
            if (step % 17 == 9) {
                db.flush();
            } else if (step % 23 == 19) {
                db.compactRange(null, null);
            } else {
                Map<String, String> batch = SeededBatches.batch(seed, step, KEYS);
                try {
                    db.write(SeededBatches.toWriteBatch(batch), WriteOptions.sync());
                    expected.issued(batch, ExpectedState.Outcome.ACKNOWLEDGED);
                } catch (IOException e) {
                    // A store already read-only refuses before any file is touched.
                    boolean refused = String.valueOf(e.getMessage()).contains("read-only after an earlier write failure");
                    expected.issued(batch, refused ? ExpectedState.Outcome.REJECTED : ExpectedState.Outcome.UNCERTAIN);
                    throw e;
                }
                String key = String.format("k%04d", reads.nextInt(KEYS));
                String value = text(db.get(bytes(key)));
                assertThat(expected.possibleValues(key)).as("step %s: get(%s)", step, key).contains(value);
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Background work after a step: all of it after two steps in three, else some picked at random. */
    private static void runBackground(ManualExecutor background, int step) {
        if (step % 3 == 0) {
            background.runSomeAtRandom();
        } else {
            background.runAll();
        }
    }

    private static void write(Db db, ExpectedState expected, Map<String, String> batch, String context) throws IOException {
        db.write(SeededBatches.toWriteBatch(batch), WriteOptions.sync());
        expected.issued(batch, ExpectedState.Outcome.ACKNOWLEDGED);
    }

    private static void check(Map<String, String> actual, ExpectedState expected, String context) {
        ExpectedState.Comparison comparison = expected.check(actual);
        REPORT.add(TortureReport.ACKED_WRITES_LOST, comparison.lostWrites());
        REPORT.add(TortureReport.KEYS_RESURRECTED, comparison.resurrectedKeys());
        assertThat(comparison.mismatch()).as(context).isNull();
    }

    private static Options options(Storage storage, ManualExecutor background) {
        return Options.defaults().withStorage(storage).withBackgroundExecutor(background).withWriteBufferSize(2048)
                .withTargetFileSize(2048).withLevelZeroTriggers(2, 8, 12).withMaxManifestBytes(1024);
    }

    /** Counts the tables created and deleted while the test runs background work. */
    private static final class BackgroundTables extends ForwardingStorage {
        boolean background;
        int created;
        int deleted;

        BackgroundTables(Storage delegate) {
            super(delegate);
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            created += background && file.toString().endsWith(".ldb") ? 1 : 0;
            return super.create(file);
        }

        @Override
        public void delete(Path file) throws IOException {
            deleted += background && file.toString().endsWith(".ldb") ? 1 : 0;
            super.delete(file);
        }
    }
}
