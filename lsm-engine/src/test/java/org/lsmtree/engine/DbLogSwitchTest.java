package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.ManualExecutor;

/**
 * The background flush task prepares the next WAL (created, its name synced), so the writer's
 * next memtable switch creates no log and syncs no directory: it syncs the old log and writes on
 * in the prepared one. Every write is there after a reopen.
 */
class DbLogSwitchTest {
    @Test
    void aSwitchAfterTheFlushTaskRanUsesTheLogItPrepared() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            ActiveLogTest.RecordingStorage storage = new ActiveLogTest.RecordingStorage(NioStorage.of(fs));
            ManualExecutor background = new ManualExecutor(7);
            Options options = Options.defaults().withStorage(storage).withBackgroundExecutor(background)
                    .withWriteBufferSize(4 << 10);
            int written = 0;
            try (Db db = Db.open(dir, options)) {
                long firstLog = newestLog(storage, dir);
                while (newestLog(storage, dir) == firstLog) { // the writer's first switch creates a log itself
                    put(db, written++);
                }
                background.runAll(); // the flush task: prepares the next log, then flushes
                List<Long> logs = logs(storage, dir);
                assertThat(logs).as("the active log and the prepared one").hasSize(2);
                long active = logs.get(0);
                long prepared = logs.get(1);
                assertThat(storage.size(FileNames.logFile(dir, prepared))).isZero();
                storage.calls.clear();
                for (int i = 0; i < 1000 && storage.size(FileNames.logFile(dir, prepared)) == 0; i++) {
                    put(db, written++);
                }
                assertThat(storage.size(FileNames.logFile(dir, prepared))).as("the writes went on in %s", prepared)
                        .isPositive();
                assertThat(storage.calls).as("the writer's switch").noneMatch(
                        call -> call.startsWith("create") && call.endsWith(".log") || call.equals("sync-directory"));
                assertThat(storage.calls).contains("sync " + FileNames.logFileName(active));
            }
            try (Db db = Db.open(dir, options)) {
                for (int i = 0; i < written; i++) {
                    assertThat(db.get(key(i))).as("key %d", i).isEqualTo(value(i));
                }
            }
        }
    }

    private static List<Long> logs(ActiveLogTest.RecordingStorage storage, Path dir) throws Exception {
        return storage.list(dir).stream().map(FileNames::parse).flatMap(java.util.Optional::stream)
                .filter(parsed -> parsed.type() == FileType.LOG).map(FileNames.Parsed::number)
                .sorted(Comparator.naturalOrder()).toList();
    }

    private static long newestLog(ActiveLogTest.RecordingStorage storage, Path dir) throws Exception {
        List<Long> logs = logs(storage, dir);
        return logs.get(logs.size() - 1);
    }

    private static void put(Db db, int i) throws Exception {
        db.put(key(i), value(i), WriteOptions.noSync());
    }

    private static byte[] key(int i) {
        return DbOpenAndWriteTest.b(String.format("key%06d", i));
    }

    private static byte[] value(int i) {
        return DbOpenAndWriteTest.b("value-" + i + "-" + "x".repeat(80));
    }
}
