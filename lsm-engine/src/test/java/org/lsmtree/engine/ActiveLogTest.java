package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.ForwardingStorage;
import org.lsmtree.testing.ForwardingWritableFile;
import org.lsmtree.wal.WalWriter;
import org.lsmtree.wal.WriteBatch;

/**
 * The switch of WALs with a log prepared ahead: the switch then creates nothing and syncs no
 * directory (the preparation did both), syncs the old log before anything reaches the new one,
 * and uses a prepared log only when its number follows the active one's.
 */
class ActiveLogTest {
    /** Records, in order, the calls that decide what survives a crash. */
    static final class RecordingStorage extends ForwardingStorage {
        final List<String> calls = new CopyOnWriteArrayList<>();

        RecordingStorage(Storage delegate) {
            super(delegate);
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            calls.add("create " + file.getFileName());
            return super.create(file);
        }

        @Override
        protected WritableFile opened(Path file, WritableFile out) {
            return new ForwardingWritableFile(out) {
                @Override
                public void sync() throws IOException {
                    calls.add("sync " + file.getFileName());
                    super.sync();
                }

                @Override
                public void append(byte[] source, int offset, int length) throws IOException {
                    calls.add("append " + file.getFileName());
                    super.append(source, offset, length);
                }

                @Override
                public void append(io.netty.buffer.ByteBuf source) throws IOException {
                    calls.add("append " + file.getFileName());
                    super.append(source);
                }
            };
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            calls.add("sync-directory");
            super.syncDirectory(directory);
        }
    }

    private FileSystem fs;
    private Path dir;
    private RecordingStorage storage;
    private ActiveLog log;

    @BeforeEach
    void setUp() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix());
        dir = fs.getPath("/db");
        storage = new RecordingStorage(NioStorage.of(fs));
        storage.createDirectories(dir);
        log = new ActiveLog(storage, dir, WalWriter.create(storage, FileNames.logFile(dir, 10)), 10, 0, () -> { });
    }

    @AfterEach
    void tearDown() throws IOException {
        log.close();
        fs.close();
    }

    private void append(long sequence) throws IOException {
        WriteBatch batch = new WriteBatch();
        batch.put(new byte[] {1}, new byte[] {2});
        log.append(sequence, List.of(batch), false);
    }

    @Test
    void aSwitchToAPreparedLogCreatesNothingAndSyncsTheOldLogFirst() throws IOException {
        append(1);
        assertThat(log.prepareNext(() -> 12)).isNull();
        assertThat(storage.calls).containsSubsequence("create 000012.log", "sync-directory");
        storage.calls.clear();
        log.switchTo(() -> 99);
        append(2);
        assertThat(log.number()).isEqualTo(12);
        assertThat(storage.calls).noneMatch(call -> call.startsWith("create") || call.equals("sync-directory"));
        assertThat(storage.calls).containsSubsequence("sync 000010.log", "append 000012.log");
    }

    @Test
    void aSwitchWithoutAPreparedLogCreatesOneAndSyncsItsName() throws IOException {
        append(1);
        log.switchTo(() -> 11);
        append(2);
        assertThat(log.number()).isEqualTo(11);
        assertThat(storage.calls).containsSubsequence("create 000011.log", "sync-directory", "sync 000010.log",
                "append 000011.log");
    }

    @Test
    void closingDeletesAPreparedLogNoWriteWentTo() throws IOException {
        log.prepareNext(() -> 11);
        log.close();
        assertThat(storage.exists(FileNames.logFile(dir, 11))).isFalse();
        assertThat(storage.exists(FileNames.logFile(dir, 10))).isTrue();
        log = new ActiveLog(storage, dir, WalWriter.create(storage, FileNames.logFile(dir, 12)), 12, 0, () -> { }); // for tearDown
    }

    @Test
    void aPreparedLogNumberedBelowTheActiveOneIsNotUsed() throws IOException {
        log.prepareNext(() -> 5); // prepared while a switch made a log of its own, say
        log.switchTo(() -> 11);
        assertThat(log.number()).isEqualTo(11);
        log.prepareNext(() -> 13);
        log.prepareNext(() -> 14); // one is ready: nothing more is made
        log.switchTo(() -> 99);
        assertThat(log.number()).isEqualTo(13);
        assertThat(storage.exists(FileNames.logFile(dir, 5))).as("the unused log is deleted").isFalse();
        assertThat(storage.exists(FileNames.logFile(dir, 14))).isFalse();
    }
}
