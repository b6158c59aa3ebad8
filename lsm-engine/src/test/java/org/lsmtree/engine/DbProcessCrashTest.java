package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.log.LogFormat;
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
 * from several threads that group commit puts into shared records; and on the real file system,
 * where the WAL is appended through a memory mapping, a child JVM killed with SIGKILL.
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

    /**
     * A real SIGKILL on the real file system, where the WAL is appended through a memory mapping:
     * a child JVM writes unsynced and is killed while idle after its last write (the live log then
     * ends in the mapping's unused zeros, which recovery takes for the clean end: nothing dropped,
     * no {@code lost/}), and a second child is killed while writing. Every write that returned is
     * there after either.
     */
    @Test
    void unsyncedWritesSurviveASigkillOfTheProcessThroughTheMappedLog(@TempDir Path directory) throws Exception {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("DbProcessCrashTest seed " + seed + " (replay: -Dlsm.seed=" + seed + ")");
        Random random = new Random(seed);
        Path store = directory.resolve("db");
        int idleAfter = 40 + random.nextInt(60);
        int acked = killChild(store, "pause-after-" + idleAfter, Integer.MAX_VALUE);
        assertThat(acked).isEqualTo(idleAfter + 1);
        List<Path> logs = logsOf(store);
        assertThat(logs).isNotEmpty();
        assertThat(Files.size(logs.get(logs.size() - 1)) % LogFormat.PREALLOCATION_CHUNK)
                .as("the live log, as the kill left it, is a whole number of preallocation chunks").isZero();
        try (Db db = Db.open(store, Options.defaults().withCreateIfMissing(false))) {
            assertHolds(db, acked, "seed " + seed + ", killed idle after write " + idleAfter);
        }
        assertThat(store.resolve("lost")).as("a zero tail is no damage: nothing kept in lost/").doesNotExist();

        Path second = directory.resolve("db2");
        int killAfter = 20 + random.nextInt(200);
        int ackedWhileWriting = killChild(second, "endless", killAfter);
        try (Db db = Db.open(second, Options.defaults().withCreateIfMissing(false))) {
            assertHolds(db, ackedWhileWriting, "seed " + seed + ", killed writing after ack " + killAfter);
        }
    }

    /** Starts the writer child, kills it after {@code killAfterAck} acks or once idle; returns the acks read. */
    private static int killChild(Path store, String mode, int killAfterAck) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                UnsyncedWriterProcess.class.getName(), store.toString(), mode).redirectErrorStream(true).start();
        int acked = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals("idle")) {
                    break;
                }
                if (line.startsWith("ack ")) {
                    acked = Integer.parseInt(line.substring(4)) + 1;
                    if (acked > killAfterAck) {
                        break;
                    }
                }
            }
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        return acked;
    }

    private static void assertHolds(Db db, int acked, String context) throws IOException {
        for (int i = 0; i < acked; i++) {
            assertThat(db.get(UnsyncedWriterProcess.key(i))).as(context + ": write " + i)
                    .isEqualTo(UnsyncedWriterProcess.value(i));
        }
    }

    private static List<Path> logsOf(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
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
