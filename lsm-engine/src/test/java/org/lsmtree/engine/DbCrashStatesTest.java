package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.CrashMode;
import org.lsmtree.testing.CrashSimulatingStorage;
import org.lsmtree.testing.TortureReport;

/**
 * Crash states of seeded {@link CrashWorkload}s: a crash after every storage operation of each
 * workload, in every {@link CrashMode}, and a crash during the recovery of a seeded sample of those
 * states, each checked by {@link CrashStateCheck} against the workload's {@link ExpectedState}.
 * The crash states of one point are taken while the workload runs (the storage reports each
 * operation), so each workload runs once, not once per crash point.
 *
 * <p>{@code -Dlsm.crash.scale=N} runs N workloads of each shape (the {@code torture} profile sets
 * it); {@code -Dlsm.crash.seed=S} runs only the workloads of seed S, which is how a failure, which
 * names its workload's seed, replays. The figures are printed as {@code TORTURE} lines.
 */
class DbCrashStatesTest {
    static final String SCALE_PROPERTY = "lsm.crash.scale";
    static final String SEED_PROPERTY = "lsm.crash.seed";
    /** One crash point in this many (per workload) is crashed again at every operation of its recovery. */
    private static final int RECOVERY_SAMPLE_ONE_IN = 25;
    /** Crash points times models. */
    private static final String CRASH_STATES = "crash states (points x models)";

    /** The workloads of this run: both shapes for each seed. */
    static List<CrashWorkload> workloads() {
        List<Long> seeds = new ArrayList<>();
        String only = System.getProperty(SEED_PROPERTY);
        if (only != null && !only.isBlank()) {
            seeds.add(Long.parseLong(only.trim()));
        } else {
            int scale = Integer.getInteger(SCALE_PROPERTY, 1);
            for (long seed = 1; seed <= scale; seed++) {
                seeds.add(seed);
            }
        }
        List<CrashWorkload> workloads = new ArrayList<>();
        for (long seed : seeds) {
            for (CrashWorkload.Shape shape : CrashWorkload.Shape.values()) {
                workloads.add(CrashWorkload.generate(shape, seed));
            }
        }
        return workloads;
    }

    /** The seed of a random crash model's choices at {@code operation} of a workload of {@code seed}. */
    static long crashSeed(long workloadSeed, long operation) {
        return new SplittableRandom(workloadSeed * 1_000_003L + operation).nextLong();
    }

    @Test
    void everyCrashStateOfTheWorkloadsRecoversToAPrefixOfTheWrites() throws IOException {
        TortureReport report = new TortureReport("crash states");
        Outcome outcome = runWorkloads("crash states", report, (workload, storage, oracle, check) -> operation -> {
            ExpectedState.Bounds bounds = oracle.bounds();
            long seed = crashSeed(workload.seed(), operation);
            String point = "workload '" + workload.name() + "', crash after operation " + operation + " ("
                    + lastOperation(storage) + "), ";
            for (CrashMode mode : CrashMode.values()) {
                report.count("crash points, " + mode);
                report.count(CRASH_STATES);
                check.check(afterCrash(storage, mode, seed), CrashStateCheck.boundsFor(mode, bounds),
                        point + mode + ", seed " + seed);
            }
        });

        CrashWorkload.Events events = outcome.events();
        System.out.println("events of the workloads: " + events);
        assertThat(outcome.failures()).as("%s failed crash states; the first of each kind", outcome.failed()).isEmpty();
        assertThat(report.get(CRASH_STATES)).as("crash states").isEqualTo(CrashMode.values().length * events.operations());
        if (System.getProperty(SEED_PROPERTY) != null) {
            return; // a replay of one seed: the figures below are those of the default workloads
        }
        assertThat(events.walRotations()).as("WAL rotations").isGreaterThanOrEqualTo(3);
        assertThat(events.walPrefixSyncs()).as("background WAL syncs").isGreaterThanOrEqualTo(8);
        assertThat(events.flushes()).as("flushes").isGreaterThanOrEqualTo(5);
        assertThat(events.backgroundCompactions()).as("background compactions").isGreaterThanOrEqualTo(3);
        assertThat(events.trivialMoves()).as("trivial moves").isGreaterThanOrEqualTo(1);
        assertThat(events.manifestRotations()).as("MANIFEST rotations").isGreaterThanOrEqualTo(2);
        assertThat(report.get(CRASH_STATES)).as("crash states").isGreaterThanOrEqualTo(2_000);
        assertThat(report.get(TortureReport.STATES_CHECKED)).as("distinct crash states checked")
                .isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void aCrashAtEveryOperationOfTheRecoveryOfSampledCrashStatesRecoversToo() throws IOException {
        TortureReport report = new TortureReport("crash during recovery");
        Outcome outcome = runWorkloads("crash during recovery", report, (workload, storage, oracle, check) -> {
            SplittableRandom sample = new SplittableRandom(workload.seed());
            return operation -> {
                if (sample.nextInt(RECOVERY_SAMPLE_ONE_IN) != 0) {
                    return;
                }
                CrashMode mode = CrashMode.values()[sample.nextInt(CrashMode.values().length)];
                long seed = crashSeed(workload.seed(), operation);
                report.count("sampled crash states, " + mode);
                check.checkWithCrashesDuringRecovery(afterCrash(storage, mode, seed),
                        CrashStateCheck.boundsFor(mode, oracle.bounds()), "workload '" + workload.name()
                                + "', crash after operation " + operation + " (" + lastOperation(storage) + "), "
                                + mode + ", seed " + seed, seed);
            };
        });

        assertThat(outcome.failures()).as("%s failed crash states; the first of each kind", outcome.failed()).isEmpty();
        long nested = 0;
        for (CrashMode mode : CrashMode.values()) {
            nested += report.get(CrashStateCheck.RECOVERY_POINTS + mode);
        }
        if (System.getProperty(SEED_PROPERTY) == null) {
            assertThat(nested).as("crash states during recovery").isGreaterThanOrEqualTo(2_000);
        }
    }

    /** What the crash listener of one workload's run is made of. */
    private interface Listener {
        java.util.function.LongConsumer create(CrashWorkload workload, CrashSimulatingStorage storage,
                ExpectedState oracle, CrashStateCheck check);
    }

    private record Outcome(CrashWorkload.Events events, List<String> failures, long failed) {}

    /** Runs every workload with the crash listener {@code listener} makes; prints the report. */
    private static Outcome runWorkloads(String suite, TortureReport report, Listener listener) throws IOException {
        CrashWorkload.Events events = CrashWorkload.Events.none();
        List<String> failures = new ArrayList<>();
        long failed = 0;
        for (CrashWorkload workload : workloads()) {
            System.out.println(suite + " of workload '" + workload.name() + "' (replay: -D" + SEED_PROPERTY
                    + "=" + workload.seed() + ")");
            CrashSimulatingStorage storage = CrashSimulatingStorage.create();
            ExpectedState oracle = new ExpectedState();
            CrashStateCheck check = new CrashStateCheck(oracle, report);
            storage.afterEachOperation(listener.create(workload, storage, oracle, check));
            CrashWorkload.Events ran = workload.run(storage, oracle);
            storage.close();
            assertEventful(workload, ran);
            events = events.plus(ran);
            failures.addAll(check.failures());
            failed += check.failed();
            report.count(TortureReport.WORKLOADS);
        }
        report.add(TortureReport.ACKED_WRITES_LOST, 0);
        report.add(TortureReport.KEYS_RESURRECTED, 0);
        report.add("failed states", failed);
        System.out.print(report.render());
        return new Outcome(events, failures, failed);
    }

    private static CrashSimulatingStorage afterCrash(CrashSimulatingStorage storage, CrashMode mode, long seed) {
        try {
            return storage.afterCrash(mode, seed);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every workload holds a reopen, synced and unsynced writes, batches, deletes, a flush and a WAL rotation. */
    private static void assertEventful(CrashWorkload workload, CrashWorkload.Events events) {
        String name = "workload '" + workload.name() + "': " + events;
        assertThat(events.reopens()).as(name).isEqualTo(1);
        assertThat(events.syncedWrites()).as(name).isPositive();
        assertThat(events.unsyncedWrites()).as(name).isPositive();
        assertThat(events.batches()).as(name).isPositive();
        assertThat(events.deletes()).as(name).isPositive();
        assertThat(events.flushes()).as(name).isPositive();
        assertThat(events.walRotations()).as(name).isPositive();
    }

    private static String lastOperation(CrashSimulatingStorage storage) {
        List<String> log = storage.operationLog();
        return log.isEmpty() ? "none" : log.get(log.size() - 1);
    }
}
