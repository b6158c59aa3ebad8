package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.CrashMode;
import org.lsmtree.testing.CrashSimulatingStorage;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.SimulatedCrashException;
import org.lsmtree.wal.WriteBatch;

/**
 * LevelDB's guarantee for writes that are not synced: once a write returned, it survives a crash
 * of the process (not of the machine), because nothing of it waits in a user-space buffer. The
 * process is crashed after every storage operation of a workload of unsynced writes (records
 * from a few bytes to several 32 KiB log blocks, memtable switches included), and after writes
 * from several threads that group commit puts into shared records.
 */
class DbProcessCrashTest {

    @Test
    void everyUnsyncedWriteThatReturnedSurvivesAProcessCrashAfterAnyOperation() throws IOException {
        long operations = run(Long.MAX_VALUE).storage().operationCount();
        assertThat(operations).isGreaterThan(40);
        for (long k = 0; k <= operations; k++) {
            Run run = run(k);
            CrashSimulatingStorage after = run.storage().afterCrash(CrashMode.PROCESS_CRASH, 0);
            try (Db db = Db.open(after.path("/db"), options(after).withCreateIfMissing(false))) {
                for (int i = 0; i < run.acknowledged(); i++) {
                    assertThat(db.get(key(i))).as("write " + i + " after a crash after operation " + k)
                            .isEqualTo(value(i));
                }
            } catch (IOException e) {
                assertThat(run.acknowledged()).as("no store to open after operation " + k + ": " + e).isZero();
            }
        }
    }

    @Test
    void unsyncedWritesOfManyThreadsSurviveAProcessCrash() throws Exception {
        CrashSimulatingStorage storage = CrashSimulatingStorage.create();
        Path dir = storage.path("/db");
        Db db = Db.open(dir, options(storage));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = thread; i < 400; i += 4) {
                        db.write(new WriteBatch().put(key(i), value(i)), WriteOptions.noSync());
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        // no close: the process dies with the store open
        CrashSimulatingStorage after = storage.afterCrash(CrashMode.PROCESS_CRASH, 0);
        try (Db reopened = Db.open(after.path("/db"), options(after).withCreateIfMissing(false))) {
            for (int i = 0; i < 400; i++) {
                assertThat(reopened.get(key(i))).as("write " + i).isEqualTo(value(i));
            }
        }
    }

    private record Run(CrashSimulatingStorage storage, int acknowledged) {}

    private static Run run(long crashAfter) throws IOException {
        CrashSimulatingStorage storage = CrashSimulatingStorage.create();
        storage.crashAfter(crashAfter);
        int acknowledged = 0;
        try {
            Db db = Db.open(storage.path("/db"), options(storage));
            for (int i = 0; i < 24; i++) {
                db.write(new WriteBatch().put(key(i), value(i)), WriteOptions.noSync());
                acknowledged++;
            }
            // no close: the process dies with the store open
        } catch (IOException e) {
            if (!SimulatedCrashException.isCrash(e)) {
                throw e;
            }
            // the process died here
        }
        return new Run(storage, acknowledged);
    }

    /** A 64 KiB write buffer, so the workload switches memtables (and logs) too; background work never runs. */
    private static Options options(CrashSimulatingStorage storage) {
        return Options.defaults().withStorage(storage).withBackgroundExecutor(new ManualExecutor(0))
                .withWriteBufferSize(64 << 10);
    }

    private static byte[] key(int i) {
        return DbOpenAndWriteTest.b(String.format("key%04d", i));
    }

    /** Values from 10 bytes to three 32 KiB log blocks. */
    private static byte[] value(int i) {
        return DbOpenAndWriteTest.b(Integer.toString(i).repeat(i % 6 == 5 ? 30_000 : 1 + i * 3));
    }
}
