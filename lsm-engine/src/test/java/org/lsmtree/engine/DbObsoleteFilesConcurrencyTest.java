package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.ForwardingStorage;
import org.lsmtree.testing.ForwardingWritableFile;

/**
 * Obsolete files are deleted without the store's write lock while flushes and compactions run on
 * the store's own threads, writers write, readers hold iterators and a caller compacts ranges:
 * at the moment of each unlink, the table is neither listed by a live version nor a pending
 * output nor still open for writing, and the MANIFEST is not the current one. Afterwards, and
 * after a reopen, every key holds its last value. Seeded ({@code -Dlsm.obsolete.seed} replays the
 * keys and operations; the threads' interleaving is the machine's).
 */
class DbObsoleteFilesConcurrencyTest {
    private static final int WRITERS = 2;
    private static final int OPS_PER_WRITER = 3000;
    private static final int KEYS_PER_WRITER = 400;

    /** Checks every unlink against the store's live files at that moment. */
    private static final class CheckingStorage extends ForwardingStorage {
        volatile VersionSet versions;
        final Set<Path> writing = ConcurrentHashMap.newKeySet();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final AtomicLong tablesDeleted = new AtomicLong();

        CheckingStorage(Storage delegate) {
            super(delegate);
        }

        @Override
        protected WritableFile opened(Path file, WritableFile out) {
            if (!file.getFileName().toString().endsWith(".ldb")) {
                return out;
            }
            writing.add(file);
            return new ForwardingWritableFile(out) {
                @Override
                public void close() throws IOException {
                    writing.remove(file);
                    super.close();
                }
            };
        }

        @Override
        public void delete(Path file) throws IOException {
            VersionSet live = versions;
            FileNames.Parsed parsed = FileNames.parse(file.getFileName().toString()).orElse(null);
            if (live != null && parsed != null && parsed.type() == FileType.TABLE) {
                if (writing.contains(file)) {
                    violations.add(file.getFileName() + " deleted while it is written");
                }
                if (live.liveTables().contains(parsed.number())) {
                    violations.add(file.getFileName() + " deleted while live or pending");
                }
                tablesDeleted.incrementAndGet();
            }
            if (live != null && parsed != null && parsed.type() == FileType.MANIFEST
                    && parsed.number() == live.manifestNumber()) {
                violations.add(file.getFileName() + " deleted while current");
            }
            super.delete(file);
        }
    }

    private static byte[] key(int writer, int k) {
        return DbOpenAndWriteTest.b(String.format("w%d-key%05d", writer, k));
    }

    @Test
    void deletionNeverRemovesALiveOrPendingTableUnderConcurrentFlushesAndCompactions() throws Exception {
        long seed = Long.getLong("lsm.obsolete.seed", System.nanoTime());
        System.out.println("DbObsoleteFilesConcurrencyTest seed " + seed + " (-Dlsm.obsolete.seed replays it)");
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            CheckingStorage storage = new CheckingStorage(NioStorage.of(fs));
            Options options = Options.defaults().withStorage(storage).withBackgroundThreads(2)
                    .withWriteBufferSize(4 << 10).withTargetFileSize(4 << 10).withLevelSizes(16 << 10, 4);
            List<Map<Integer, byte[]>> models = new ArrayList<>();
            try (Db db = Db.open(dir, options)) {
                storage.versions = db.core().internals().versions();
                AtomicBoolean writing = new AtomicBoolean(true);
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    Map<Integer, byte[]> model = new TreeMap<>();
                    models.add(model);
                    threads.add(thread(failures, writer(db, w, new Random(seed + w), model)));
                }
                threads.add(thread(failures, () -> {
                    Random random = new Random(seed - 1);
                    while (writing.get()) {
                        try (DbIterator it = db.iterator(ReadOptions.defaults())) { // pins a version a while
                            it.seek(key(random.nextInt(WRITERS), random.nextInt(KEYS_PER_WRITER)));
                            for (int i = 0; i < 50 && it.isValid(); i++) {
                                it.next();
                            }
                        }
                        db.get(key(random.nextInt(WRITERS), random.nextInt(KEYS_PER_WRITER)));
                    }
                }));
                threads.forEach(Thread::start);
                Random random = new Random(seed + 100);
                for (int round = 0; round < 20; round++) {
                    Thread.sleep(5);
                    int from = random.nextInt(KEYS_PER_WRITER);
                    db.compactRange(key(0, from), key(WRITERS - 1, from + random.nextInt(100)));
                }
                for (int w = 0; w < WRITERS; w++) {
                    threads.get(w).join();
                }
                writing.set(false);
                threads.get(WRITERS).join();
                assertThat(failures).isEmpty();
                db.compactRange(null, null);
                assertThat(storage.violations).isEmpty();
                assertThat(storage.tablesDeleted.get()).as("tables were deleted at all").isPositive();
                checkModels(db, models);
            }
            try (Db db = Db.open(dir, options)) {
                checkModels(db, models);
            }
        }
    }

    private interface IoRunnable {
        void run() throws Exception;
    }

    private static Thread thread(List<Throwable> failures, IoRunnable body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
    }

    private static IoRunnable writer(Db db, int w, Random random, Map<Integer, byte[]> model) {
        return () -> {
            for (int i = 0; i < OPS_PER_WRITER; i++) {
                int k = random.nextInt(KEYS_PER_WRITER);
                if (random.nextInt(8) == 0) {
                    db.delete(key(w, k), WriteOptions.noSync());
                    model.remove(k);
                } else {
                    byte[] value = new byte[10 + random.nextInt(60)];
                    random.nextBytes(value);
                    db.put(key(w, k), value, WriteOptions.noSync());
                    model.put(k, value);
                }
            }
        };
    }

    private static void checkModels(Db db, List<Map<Integer, byte[]>> models) throws IOException {
        for (int w = 0; w < models.size(); w++) {
            for (int k = 0; k < KEYS_PER_WRITER; k++) {
                assertThat(db.get(key(w, k))).as("key %d of writer %d", k, w).isEqualTo(models.get(w).get(k));
            }
        }
    }
}
