package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.wal.SequencedBatch;
import org.lsmtree.wal.WalReader;
import org.lsmtree.wal.WalRecoveryMode;

/**
 * Group commit, made deterministic: the first writer's WAL sync is held until five more synced
 * writers have queued behind it; they must then be written as one record with one sync.
 */
class GroupCommitTest {

    @Test
    void writersQueuedBehindASyncShareTheNextRecordAndSync() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            HeldSyncStorage storage = new HeldSyncStorage(NioStorage.of(fs));
            Path dir = fs.getPath("/db");
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
                storage.holdNextLogSync();
                List<Future<?>> writes = new ArrayList<>();
                writes.add(pool.submit(() -> {
                    db.put(b("k0"), b("v0"));
                    return null;
                }));
                assertThat(storage.syncHeld.await(30, TimeUnit.SECONDS)).as("the leader reached its sync").isTrue();
                for (int i = 1; i <= 5; i++) {
                    int n = i;
                    writes.add(pool.submit(() -> {
                        db.put(b("k" + n), b("v" + n));
                        return null;
                    }));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (db.core().writeQueue().queued() < 6 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertThat(db.core().writeQueue().queued()).as("five writers queued behind the leader").isEqualTo(6);
                int syncsBefore = storage.logSyncs.get();
                storage.release.countDown();
                for (Future<?> write : writes) {
                    write.get(30, TimeUnit.SECONDS);
                }
                assertThat(storage.logSyncs.get() - syncsBefore).as("syncs after the release").isEqualTo(2);
                for (int i = 0; i <= 5; i++) {
                    assertThat(db.get(b("k" + i))).isEqualTo(b("v" + i));
                }
                assertThat(db.property("lsm.last-sequence")).isEqualTo("6");
            } finally {
                pool.shutdownNow();
            }
            List<Integer> records = new ArrayList<>();
            try (var files = Files.list(dir)) {
                Path log = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
                try (WalReader reader = WalReader.open(NioStorage.of(fs), log, WalRecoveryMode.ABSOLUTE_CONSISTENCY)) {
                    for (SequencedBatch batch = reader.next(); batch != null; batch = reader.next()) {
                        records.add(batch.batch().count());
                    }
                }
            }
            assertThat(records).as("entries per WAL record").containsExactly(1, 5);
        }
    }

    /** Counts WAL syncs, and can hold the next one until released. */
    private static final class HeldSyncStorage implements Storage {
        final Storage delegate;
        final AtomicInteger logSyncs = new AtomicInteger();
        final CountDownLatch syncHeld = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean holdNext;

        HeldSyncStorage(Storage delegate) {
            this.delegate = delegate;
        }

        void holdNextLogSync() {
            holdNext = true;
        }

        private WritableFile watched(Path file, WritableFile out) {
            if (!file.getFileName().toString().endsWith(".log")) {
                return out;
            }
            return new WritableFile() {
                @Override
                public void append(byte[] source, int offset, int length) throws IOException {
                    out.append(source, offset, length);
                }

                @Override
                public void append(ByteBuf source) throws IOException {
                    out.append(source);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void sync() throws IOException {
                    if (holdNext) {
                        holdNext = false;
                        syncHeld.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted while held", e);
                        }
                    }
                    out.sync();
                    logSyncs.incrementAndGet();
                }

                @Override
                public long size() {
                    return out.size();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            return watched(file, delegate.create(file));
        }

        @Override
        public WritableFile openAppendable(Path file) throws IOException {
            return watched(file, delegate.openAppendable(file));
        }

        @Override
        public SequentialFile openSequential(Path file) throws IOException {
            return delegate.openSequential(file);
        }

        @Override
        public RandomReadFile openRandomRead(Path file) throws IOException {
            return delegate.openRandomRead(file);
        }

        @Override
        public void rename(Path source, Path target) throws IOException {
            delegate.rename(source, target);
        }

        @Override
        public void delete(Path file) throws IOException {
            delegate.delete(file);
        }

        @Override
        public boolean exists(Path path) throws IOException {
            return delegate.exists(path);
        }

        @Override
        public long size(Path file) throws IOException {
            return delegate.size(file);
        }

        @Override
        public List<Path> list(Path directory) throws IOException {
            return delegate.list(directory);
        }

        @Override
        public void createDirectories(Path directory) throws IOException {
            delegate.createDirectories(directory);
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            delegate.syncDirectory(directory);
        }

        @Override
        public StorageLock lock(Path lockFile) throws IOException {
            return delegate.lock(lockFile);
        }
    }
}
