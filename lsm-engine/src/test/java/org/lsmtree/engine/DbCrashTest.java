package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.CrashMode;
import org.lsmtree.testing.CrashSimulatingStorage;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.SimulatedCrashException;
import org.lsmtree.wal.WriteBatch;

/**
 * A workload of synced writes with restarts, flushes and compactions in between (manual ones, and
 * background flushes and compactions run by a seeded {@link ManualExecutor} between the steps, on
 * a tiny write buffer and a level-0 trigger of 2; the MANIFEST rotates at 250 bytes), crashed after
 * every storage operation (opens included) in every crash mode: the store always opens again, every acknowledged write is
 * there, nothing deleted comes back, and at most the one write in flight may or may not be.
 */
class DbCrashTest {

    private static final Map<String, String> RESTART = Map.of("restart", "");
    private static final Map<String, String> FLUSH = Map.of("flush", "");
    private static final Map<String, String> COMPACT = Map.of("compact", "");

    /** One step of the workload: a batch, a restart, a flush or a compaction. */
    private static List<Map<String, String>> workload() {
        Random random = new Random(8);
        List<Map<String, String>> steps = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i % 13 == 12) {
                steps.add(RESTART);
                continue;
            }
            if (i % 9 == 4) {
                steps.add(FLUSH);
                continue;
            }
            if (i % 17 == 16) {
                steps.add(COMPACT);
                continue;
            }
            Map<String, String> batch = new HashMap<>();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                String key = "k" + random.nextInt(10);
                batch.put(key, random.nextInt(3) == 0 ? null : "v" + i + "-" + key + "-" + "p".repeat(150));
            }
            steps.add(batch);
        }
        return steps;
    }

    @Test
    void everyAcknowledgedWriteSurvivesACrashAfterAnyOperation() throws IOException {
        Run full = run(Long.MAX_VALUE);
        assertThat(full.backgroundTasks()).as("background flushes and compactions in the workload").isGreaterThan(5);
        long currentSwitches = full.storage().operationLog().stream().filter(op -> op.endsWith("/CURRENT")).count();
        assertThat(currentSwitches).as("CURRENT switched by creation, 4 opens, and MANIFEST rotations").isGreaterThan(5);
        long operations = full.storage().operationCount();
        int states = 0;
        for (long k = 0; k <= operations; k++) {
            for (CrashMode mode : CrashMode.values()) {
                for (long seed = 0; seed < (mode == CrashMode.TORN ? 3 : 1); seed++) {
                    Run run = run(k);
                    CrashSimulatingStorage after = run.storage().afterCrash(mode, seed);
                    check(after, run, "crash after operation " + k + " (" + lastOperation(run.storage()) + "), "
                            + mode + ", seed " + seed);
                    states++;
                }
            }
        }
        assertThat(operations).isGreaterThan(100);
        assertThat(states).isEqualTo((int) (operations + 1) * 5);
    }

    private static String lastOperation(CrashSimulatingStorage storage) {
        List<String> log = storage.operationLog();
        return log.isEmpty() ? "none" : log.get(log.size() - 1);
    }

    private static void check(CrashSimulatingStorage after, Run run, String context) throws IOException {
        Path dir = after.path("/db");
        Map<String, String> acknowledged = run.acknowledged();
        Map<String, String> withInFlight = new HashMap<>(acknowledged);
        if (run.inFlight() != null) {
            apply(withInFlight, run.inFlight());
        }
        if (!after.exists(dir.resolve("CURRENT"))) {
            assertThat(acknowledged).as(context + ": no store, yet writes were acknowledged").isEmpty();
            return;
        }
        try (Db db = Db.open(dir, options(after, new ManualExecutor(0)).withCreateIfMissing(false))) {
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < 10; i++) {
                byte[] value = db.get(DbOpenAndWriteTest.b("k" + i));
                if (value != null) {
                    seen.put("k" + i, DbOpenAndWriteTest.s(value));
                }
            }
            assertThat(seen).as(context).isIn(acknowledged, withInFlight);
        }
    }

    private static void apply(Map<String, String> state, Map<String, String> batch) {
        batch.forEach((key, value) -> {
            if (value == null) {
                state.remove(key);
            } else {
                state.put(key, value);
            }
        });
    }

    /** What a run left: its storage, the state of acknowledged writes, and the write in flight. */
    private record Run(CrashSimulatingStorage storage, Map<String, String> acknowledged,
            Map<String, String> inFlight, long backgroundTasks) {}

    private static Run run(long crashAfter) throws IOException {
        CrashSimulatingStorage storage = CrashSimulatingStorage.create();
        storage.crashAfter(crashAfter);
        Map<String, String> acknowledged = new HashMap<>();
        Map<String, String> inFlight = null;
        ManualExecutor background = new ManualExecutor(8);
        int acknowledgedWrites = 0;
        Options options = options(storage, background);
        Path dir = storage.path("/db");
        Db db = null;
        try {
            db = Db.open(dir, options);
            for (Map<String, String> step : workload()) {
                if (step == RESTART) {
                    db.close();
                    db = null;
                    db = Db.open(dir, options);
                    continue;
                }
                if (step == FLUSH) {
                    db.flush();
                    continue;
                }
                if (step == COMPACT) {
                    db.compactRange(null, null);
                    continue;
                }
                WriteBatch batch = new WriteBatch();
                step.forEach((key, value) -> {
                    if (value == null) {
                        batch.delete(DbOpenAndWriteTest.b(key));
                    } else {
                        batch.put(DbOpenAndWriteTest.b(key), DbOpenAndWriteTest.b(value));
                    }
                });
                inFlight = step;
                db.write(batch, WriteOptions.sync());
                apply(acknowledged, step);
                inFlight = null;
                if (acknowledgedWrites++ % 3 != 2) { // background flushes and compactions, crashed too; else the writer waits
                    background.runAll();
                }

            }
            db.close();
        } catch (SimulatedCrashException crashed) {
            // the machine went down here; the process state is gone with it
        } catch (IOException e) {
            if (!isCrash(e)) {
                throw e;
            }
        }
        return new Run(storage, acknowledged, inFlight, background.ran());
    }

    /**
     * A 1 KiB write buffer and level-0 compaction at 2 files, so background work happens in the
     * workload, and a 250-byte MANIFEST limit, so that it rotates too.
     */
    private static Options options(CrashSimulatingStorage storage, ManualExecutor background) {
        return Options.defaults().withStorage(storage).withBackgroundExecutor(background).withWriteBufferSize(1024)
                .withLevelZeroTriggers(2, 8, 12).withMaxManifestBytes(250);
    }

    static boolean isCrash(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SimulatedCrashException) {
                return true;
            }
        }
        return Arrays.stream(e.getSuppressed()).anyMatch(DbCrashTest::isCrash);
    }
}
