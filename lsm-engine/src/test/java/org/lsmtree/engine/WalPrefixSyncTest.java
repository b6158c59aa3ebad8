package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.ForwardingStorage;
import org.lsmtree.testing.ForwardingWritableFile;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.OperationKind;

/**
 * The WAL synced in the background as it grows ({@link Options#withWalBytesPerSync}): the sync at
 * a memtable switch forces only what the background syncs left; a request for a log switched away
 * is dropped; a failed background sync turns the store read-only at the next write; with real
 * threads and mapped logs, what was written reopens whole.
 */
class WalPrefixSyncTest {
    private static final int VALUE = 1000;

    /** For each log, the bytes each sync() found not yet forced by a syncPrefix (the switch's sync among them). */
    static final class ForcedBytesStorage extends ForwardingStorage {
        final List<Long> leftAtSync = new CopyOnWriteArrayList<>();
        final Map<String, Long> prefixSynced = new ConcurrentHashMap<>();
        final List<String> prefixesAfterClose = new CopyOnWriteArrayList<>();
        final List<String> prefixCalls = new CopyOnWriteArrayList<>();

        ForcedBytesStorage(Storage delegate) {
            super(delegate);
        }

        @Override
        protected WritableFile opened(Path file, WritableFile out) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".log")) {
                return out;
            }
            return new ForwardingWritableFile(out) {
                private volatile boolean closed;

                @Override
                public void syncPrefix(long length) throws IOException {
                    prefixCalls.add(name);
                    if (closed) {
                        prefixesAfterClose.add(name);
                    }
                    super.syncPrefix(length);
                    prefixSynced.merge(name, length, Math::max);
                }

                @Override
                public void sync() throws IOException {
                    if (size() > 0) {
                        leftAtSync.add(size() - prefixSynced.getOrDefault(name, 0L));
                    }
                    super.sync();
                    prefixSynced.put(name, size());
                }

                @Override
                public void close() throws IOException {
                    closed = true;
                    super.close();
                }
            };
        }
    }

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    private static byte[] key(int i) {
        return String.format("key%08d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i) {
        byte[] value = new byte[VALUE];
        java.util.Arrays.fill(value, (byte) i);
        return value;
    }

    /** Writes {@code count} unsynced puts, running the queued background work after each; returns the storage's record. */
    private ForcedBytesStorage fill(long walBytesPerSync, int count) throws IOException {
        ForcedBytesStorage storage = new ForcedBytesStorage(NioStorage.of(fs));
        ManualExecutor executor = new ManualExecutor(1);
        Options options = Options.defaults().withStorage(storage).withBackgroundExecutor(executor)
                .withWriteBufferSize(256 << 10).withWalBytesPerSync(walBytesPerSync);
        try (Db db = Db.open(dir, options)) {
            for (int i = 0; i < count; i++) {
                db.put(key(i), value(i), WriteOptions.noSync());
                executor.runAll();
            }
        }
        try (Db db = Db.open(dir, Options.defaults().withStorage(NioStorage.of(fs)))) {
            for (int i = 0; i < count; i += 97) {
                assertThat(db.get(key(i))).isEqualTo(value(i));
            }
        }
        return storage;
    }

    @Test
    void theSwitchSyncsOnlyWhatTheBackgroundSyncsLeft() throws IOException {
        ForcedBytesStorage storage = fill(32 << 10, 1200);

        assertThat(storage.leftAtSync).hasSizeGreaterThanOrEqualTo(3); // one sync per switch
        assertThat(storage.leftAtSync).allSatisfy(left -> assertThat(left).isLessThanOrEqualTo((32 << 10) + 2 * VALUE));
        assertThat(storage.prefixesAfterClose).isEmpty();
        assertThat(storage.prefixCalls).hasSizeGreaterThan(storage.leftAtSync.size()); // several per log
    }

    @Test
    void withoutBackgroundSyncsTheSwitchSyncsTheWholeLog() throws IOException {
        ForcedBytesStorage storage = fill(0, 1200);

        assertThat(storage.leftAtSync).hasSizeGreaterThanOrEqualTo(3);
        assertThat(storage.leftAtSync).allSatisfy(left -> assertThat(left).isGreaterThan(128L << 10));
        assertThat(storage.prefixCalls).isEmpty();
    }

    @Test
    void aRequestForALogSwitchedAwayIsDropped() throws IOException {
        ForcedBytesStorage storage = new ForcedBytesStorage(NioStorage.of(fs));
        ManualExecutor executor = new ManualExecutor(2);
        Options options = Options.defaults().withStorage(storage).withBackgroundExecutor(executor)
                .withWalBytesPerSync(4096);
        try (Db db = Db.open(dir, options)) {
            for (int i = 0; i < 10; i++) {
                db.put(key(i), value(i), WriteOptions.noSync());
            }
            assertThat(executor.pending()).isEqualTo(1); // one task for the requests so far
            db.flush(); // switches logs: the old one synced whole and closed
            assertThat(storage.leftAtSync.get(storage.leftAtSync.size() - 1)).isGreaterThan(10L * VALUE); // all of it
            executor.runAll();
            assertThat(storage.prefixCalls).isEmpty(); // the queued task found nothing left to sync
            assertThat(storage.prefixesAfterClose).isEmpty();
            db.put(key(10), value(10));
        }
    }

    @Test
    void aFailedBackgroundSyncTurnsTheStoreReadOnlyAtTheNextWrite() throws IOException {
        FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
        storage.failWhen(Fault.on(OperationKind.SYNC_PREFIX).matching("*.log").once());
        ManualExecutor executor = new ManualExecutor(3);
        Options options = Options.defaults().withStorage(storage).withBackgroundExecutor(executor)
                .withWalBytesPerSync(4096);
        try (Db db = Db.open(dir, options)) {
            for (int i = 0; i < 10; i++) {
                db.put(key(i), value(i), WriteOptions.noSync());
            }
            executor.runAll();
            assertThat(storage.faultsInjected()).isEqualTo(1);

            assertThatThrownBy(() -> db.put(key(10), value(10), WriteOptions.noSync()))
                    .isInstanceOf(IOException.class).hasMessageContaining("background sync of the WAL");
            assertThatThrownBy(() -> db.put(key(11), value(11))).isInstanceOf(IOException.class)
                    .hasMessageContaining("read-only");
            assertThat(db.get(key(9))).isEqualTo(value(9)); // reads go on

            db.resume();
            db.put(key(12), value(12));
            assertThat(db.get(key(12))).isEqualTo(value(12));
        }
        try (Db db = Db.open(dir, Options.defaults().withStorage(NioStorage.of(fs)))) {
            for (int i : new int[] {0, 9, 12}) {
                assertThat(db.get(key(i))).isEqualTo(value(i));
            }
        }
    }

    @Test
    void onMappedLogsWithRealThreadsEveryWriteReopens(@TempDir Path tempDir) throws IOException {
        Options options = Options.defaults().withWriteBufferSize(128 << 10).withWalBytesPerSync(16 << 10);
        try (Db db = Db.open(tempDir, options)) {
            for (int i = 0; i < 2000; i++) {
                db.put(key(i), value(i), WriteOptions.noSync());
            }
        }
        try (Db db = Db.open(tempDir, Options.defaults())) {
            for (int i = 0; i < 2000; i++) {
                assertThat(db.get(key(i))).as("key %s", i).isEqualTo(value(i));
            }
        }
    }
}
