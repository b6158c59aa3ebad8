package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
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
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.ForwardingStorage;
import org.lsmtree.testing.ForwardingWritableFile;
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
                while (db.core().internals().writes().queued() < 6 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertThat(db.core().internals().writes().queued()).as("five writers queued behind the leader").isEqualTo(6);
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

    /**
     * A group whose memtable insert fails after its WAL append (here: a comparator that rejects
     * one key): every writer of the group is told, none of the group's writes ever shows, and the
     * store turns read-only instead of reusing the group's sequences. Found in review.
     */
    @Test
    void aFailureAfterTheWalAppendFailsTheGroupAndTurnsTheStoreReadOnly() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            HeldSyncStorage storage = new HeldSyncStorage(NioStorage.of(fs));
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try (Db db = Db.open(fs.getPath("/db"), Options.defaults().withStorage(storage)
                    .withComparator(new RejectingComparator()))) {
                storage.holdNextLogSync();
                Future<?> leader = pool.submit(() -> {
                    db.put(b("k0"), b("v0"));
                    return null;
                });
                assertThat(storage.syncHeld.await(30, TimeUnit.SECONDS)).isTrue();
                Future<?> innocent = pool.submit(() -> {
                    db.put(b("a"), b("1"));
                    return null;
                });
                awaitQueued(db, 2);
                Future<?> bad = pool.submit(() -> {
                    db.put(b("bad"), b("x"));
                    return null;
                });
                awaitQueued(db, 3);
                storage.release.countDown();
                leader.get(30, TimeUnit.SECONDS);
                assertThatThrownBy(() -> innocent.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("rejected key");
                assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("rejected key");
                assertThat(db.get(b("a"))).isNull();
                assertThatThrownBy(() -> db.put(b("c"), b("3"))).hasMessageContaining("read-only");
                assertThat(db.get(b("a"))).as("a write reported failed never shows").isNull();
                assertThat(db.get(b("k0"))).isEqualTo(b("v0"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Group commit never merges writers' batches into a WAL record larger than
     * {@link Options#maxRecordSize}: each batch alone is accepted, so the store must be able to
     * read back what it wrote, opened with the same options. Found in review of issue 11.
     */
    @Test
    void aGroupNeverOutgrowsMaxRecordSizeSoTheStoreReopensWithItsOwnOptions() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            HeldSyncStorage storage = new HeldSyncStorage(NioStorage.of(fs));
            Path dir = fs.getPath("/db");
            Options small = Options.defaults().withMaxRecordSize(4096);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try (Db db = Db.open(dir, small.withStorage(storage))) {
                storage.holdNextLogSync();
                Future<?> leader = pool.submit(() -> {
                    db.put(b("k0"), b("v0"));
                    return null;
                });
                assertThat(storage.syncHeld.await(30, TimeUnit.SECONDS)).isTrue();
                List<Future<?>> writes = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    int n = i;
                    writes.add(pool.submit(() -> {
                        db.put(b("k" + n), new byte[3000]); // alone within the 4096-byte bound
                        return null;
                    }));
                    awaitQueued(db, 1 + n);
                }
                storage.release.countDown();
                leader.get(30, TimeUnit.SECONDS);
                for (Future<?> write : writes) {
                    write.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            try (Db db = Db.open(dir, small)) {
                assertThat(db.get(b("k1"))).hasSize(3000);
                assertThat(db.get(b("k2"))).hasSize(3000);
            }
        }
    }

    /** A writer whose write throws anything at all still leaves the queue; the next one is not stuck. */
    @Test
    void aWriterThatThrowsAnythingNeverBlocksTheQueue() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        WriteQueue queue = new WriteQueue((batch, sync) -> {
            if (first.getAndSet(false)) {
                GroupCommitTest.<RuntimeException>sneakyThrow(new Exception("a checked exception, thrown sneakily"));
            }
        });
        assertThatThrownBy(() -> queue.write(new org.lsmtree.wal.WriteBatch().put(b("x"), b("1")), false))
                .isInstanceOf(IOException.class).hasRootCauseMessage("a checked exception, thrown sneakily");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> next = pool.submit(() -> {
                queue.write(new org.lsmtree.wal.WriteBatch().put(b("y"), b("1")), false);
                return null;
            });
            next.get(30, TimeUnit.SECONDS);
            assertThat(queue.queued()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    /** An empty write that asks for a sync still syncs: everything written before it becomes durable. */
    @Test
    void anEmptySyncedWriteSyncsTheWal() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            HeldSyncStorage storage = new HeldSyncStorage(NioStorage.of(fs));
            try (Db db = Db.open(fs.getPath("/db"), Options.defaults().withStorage(storage))) {
                db.put(b("k"), b("v"), WriteOptions.noSync());
                int before = storage.logSyncs.get();
                db.write(new org.lsmtree.wal.WriteBatch(), WriteOptions.sync());
                assertThat(storage.logSyncs.get()).isEqualTo(before + 1);
                db.write(new org.lsmtree.wal.WriteBatch(), WriteOptions.noSync());
                assertThat(storage.logSyncs.get()).isEqualTo(before + 1);
            }
        }
    }

    private static void awaitQueued(Db db, int writers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (db.core().internals().writes().queued() < writers && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(db.core().internals().writes().queued()).isEqualTo(writers);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    /** Rejects one key ("bad"): stands for any failure of the memtable insert after the WAL append. */
    private static final class RejectingComparator implements org.lsmtree.format.key.UserComparator {
        private final org.lsmtree.format.key.BytewiseComparator bytewise = org.lsmtree.format.key.BytewiseComparator.INSTANCE;

        @Override
        public String name() {
            return bytewise.name();
        }

        @Override
        public int compare(byte[] x, byte[] y) {
            if (java.util.Arrays.equals(x, b("bad")) || java.util.Arrays.equals(y, b("bad"))) {
                throw new IllegalArgumentException("rejected key");
            }
            return bytewise.compare(x, y);
        }

        @Override
        public byte[] findShortestSeparator(byte[] start, byte[] limit) {
            return bytewise.findShortestSeparator(start, limit);
        }

        @Override
        public byte[] findShortSuccessor(byte[] key) {
            return bytewise.findShortSuccessor(key);
        }
    }

    /** Counts WAL syncs, and can hold the next one until released. */
    private static final class HeldSyncStorage extends ForwardingStorage {
        final AtomicInteger logSyncs = new AtomicInteger();
        final CountDownLatch syncHeld = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean holdNext;

        HeldSyncStorage(Storage delegate) {
            super(delegate);
        }

        void holdNextLogSync() {
            holdNext = true;
        }

        @Override
        protected WritableFile opened(Path file, WritableFile out) {
            if (!file.getFileName().toString().endsWith(".log")) {
                return out;
            }
            return new ForwardingWritableFile(out) {
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
                    super.sync();
                    logSyncs.incrementAndGet();
                }
            };
        }
    }
}
