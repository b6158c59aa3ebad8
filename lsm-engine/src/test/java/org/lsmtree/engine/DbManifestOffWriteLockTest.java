package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.ForwardingStorage;
import org.lsmtree.testing.ForwardingWritableFile;
import org.lsmtree.testing.ManualExecutor;

/**
 * Writers and readers do not wait for the MANIFEST's sync nor for the deletion of obsolete files:
 * a storage holds the first MANIFEST sync (or table deletion) it sees once armed, and a synced put,
 * a get and a property complete meanwhile, while the flush or compaction that syncs (or deletes)
 * is still held. Once let go, the held work ends and its result is there.
 */
class DbManifestOffWriteLockTest {
    private static final long WAIT_SECONDS = 30;

    /** Holds, once armed, a MANIFEST sync or the first table deletion until {@link #release}. */
    private static final class HoldingStorage extends ForwardingStorage {
        /** MANIFEST syncs to let through before the one held; negative: none is held. */
        final AtomicInteger holdManifestSyncAfter = new AtomicInteger(-1);
        volatile boolean holdTableDeletion;
        final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        HoldingStorage(Storage delegate) {
            super(delegate);
        }

        void release() {
            released.countDown();
        }

        private void hold() throws IOException {
            held.countDown();
            try {
                if (!released.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("test storage: never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted in a held call");
            }
        }

        @Override
        protected WritableFile opened(Path file, WritableFile out) {
            if (!file.getFileName().toString().startsWith("MANIFEST-")) {
                return out;
            }
            return new ForwardingWritableFile(out) {
                @Override
                public void sync() throws IOException {
                    if (holdManifestSyncAfter.getAndDecrement() == 0) {
                        hold();
                    }
                    super.sync();
                }
            };
        }

        @Override
        public void delete(Path file) throws IOException {
            if (holdTableDeletion && file.getFileName().toString().endsWith(".ldb")) {
                holdTableDeletion = false;
                hold();
            }
            super.delete(file);
        }
    }

    private FileSystem fs;
    private Path dir;
    private HoldingStorage storage;

    @BeforeEach
    void setUp() {
        fs = Jimfs.newFileSystem(Configuration.unix());
        dir = fs.getPath("/db");
        storage = new HoldingStorage(NioStorage.of(fs));
    }

    @AfterEach
    void tearDown() throws IOException {
        storage.release();
        fs.close();
    }

    private Db open() throws IOException {
        return Db.open(dir, Options.defaults().withStorage(storage).withBackgroundExecutor(new ManualExecutor(1))
                .withWriteBufferSize(64 << 10));
    }

    private static byte[] key(int i) {
        return DbOpenAndWriteTest.b(String.format("key%06d", i));
    }

    /** Runs {@code held} on a thread of its own, waits until the storage holds it, and returns it. */
    private CompletableFuture<Void> startHeld(Db db, IoAction held) throws Exception {
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> {
            try {
                held.run(db);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(storage.held.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the storage held a call").isTrue();
        return work;
    }

    private interface IoAction {
        void run(Db db) throws IOException;
    }

    /** A synced put, a get and a property, each on a thread of its own, end while {@code held} is held. */
    private static void writesAndReadsGoOnWhile(Db db, CompletableFuture<Void> held) throws Exception {
        CompletableFuture<byte[]> put = CompletableFuture.supplyAsync(() -> {
            try {
                db.put(key(999_999), DbOpenAndWriteTest.b("during"));
                return db.get(key(999_999));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(put.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(DbOpenAndWriteTest.b("during"));
        assertThat(db.get(key(1))).isEqualTo(DbOpenAndWriteTest.b("value1"));
        assertThat(db.property("lsm.num-files-at-level0")).isNotNull();
        assertThat(held).as("the held work is still held").isNotDone();
    }

    /** The tables the current version lists, at every level. */
    private static long tablesListed(Db db) {
        long tables = 0;
        for (int level = 0; level < 7; level++) {
            tables += Long.parseLong(db.property("lsm.num-files-at-level" + level));
        }
        return tables;
    }

    private static void fill(Db db, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            db.put(key(i), DbOpenAndWriteTest.b("value" + i), WriteOptions.noSync());
        }
    }

    @Test
    void aPutCompletesWhileAFlushWaitsForItsManifestSync() throws Exception {
        try (Db db = open()) {
            fill(db, 0, 500);
            storage.holdManifestSyncAfter.set(0);
            CompletableFuture<Void> flush = startHeld(db, Db::flush);
            writesAndReadsGoOnWhile(db, flush);
            storage.release();
            flush.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(tablesListed(db)).isEqualTo(1);
        }
        try (Db db = open()) {
            assertThat(db.get(key(499))).isEqualTo(DbOpenAndWriteTest.b("value499"));
            assertThat(db.get(key(999_999))).isEqualTo(DbOpenAndWriteTest.b("during"));
        }
    }

    /** Two overlapping tables, then a compaction of them held as armed, during which writes and reads go on. */
    private void compactTwoTablesWhileHeld(Db db) throws Exception {
        fill(db, 0, 500);
        db.flush();
        fill(db, 250, 750);
        db.flush();
        CompletableFuture<Void> compaction = startHeld(db, held -> held.compactRange(null, null));
        writesAndReadsGoOnWhile(db, compaction);
        storage.release();
        compaction.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aPutCompletesWhileACompactionWaitsForItsManifestSync() throws Exception {
        try (Db db = open()) {
            storage.holdManifestSyncAfter.set(2); // the two flushes' edits go through
            compactTwoTablesWhileHeld(db);
            assertThat(tablesListed(db)).as("one merged table").isEqualTo(1);
            assertThat(db.get(key(700))).isEqualTo(DbOpenAndWriteTest.b("value700"));
        }
    }

    @Test
    void aPutCompletesWhileObsoleteTablesAreDeleted() throws Exception {
        try (Db db = open()) {
            storage.holdTableDeletion = true;
            compactTwoTablesWhileHeld(db);
            long tables = storage.list(dir).stream().filter(p -> p.toString().endsWith(".ldb")).count();
            assertThat(tables).as("the compaction's inputs are gone, its output stays").isEqualTo(tablesListed(db))
                    .isEqualTo(1);
        }
    }
}
