package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;
import static org.lsmtree.engine.DbOpenAndWriteTest.s;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.wal.WriteBatch;

/**
 * The store against a {@link TreeMap} under random operations, with background flushes and
 * compactions run by a seeded {@link ManualExecutor} at random points between them (tiny
 * buffers, files and levels, so that every kind of background work happens): puts, deletes,
 * batches, reads, scans both ways, snapshots, manual flushes and compactions, restarts. Plain
 * seeded loops: a failure prints its seed; {@code -Dlsm.model.seed} replays it, and
 * {@code -Dlsm.model.steps} sets the length (the soak profile raises it).
 */
class DbBackgroundModelTest {

    @Test
    void theStoreMatchesAMapWithBackgroundWorkBetweenOperations() throws IOException {
        long steps = Long.getLong("lsm.model.steps", 1000);
        Long replay = Long.getLong("lsm.model.seed");
        long[] seeds = replay != null ? new long[] {replay} : new long[] {1, 2, 3};
        for (long seed : seeds) {
            System.out.println("DbBackgroundModelTest seed " + seed + " (-Dlsm.model.seed=" + seed + " replays it)");
            run(seed, steps);
        }
    }

    private static void run(long seed, long steps) throws IOException {
        Random random = new Random(seed);
        ManualExecutor background = new ManualExecutor(seed);
        Options options = Options.defaults().withBackgroundExecutor(background).withWriteBufferSize(1024)
                .withTargetFileSize(1024).withLevelSizes(4096, 3).withLevelZeroTriggers(2, 4, 6);
        TreeMap<String, String> model = new TreeMap<>();
        Map<Snapshot, TreeMap<String, String>> pinned = new HashMap<>();
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Db db = Db.open(dir, options);
            try {
                for (long step = 0; step < steps; step++) {
                    String context = "seed " + seed + ", step " + step;
                    int op = random.nextInt(100);
                    if (op < 40) {
                        String key = key(random);
                        String value = "v" + step + "x".repeat(random.nextInt(30));
                        db.put(b(key), b(value), random.nextBoolean() ? WriteOptions.sync() : WriteOptions.noSync());
                        model.put(key, value);
                    } else if (op < 50) {
                        String key = key(random);
                        db.delete(b(key));
                        model.remove(key);
                    } else if (op < 56) {
                        WriteBatch batch = new WriteBatch();
                        for (int n = random.nextInt(5); n >= 0; n--) {
                            String key = key(random);
                            if (random.nextInt(3) == 0) {
                                batch.delete(b(key));
                                model.remove(key);
                            } else {
                                batch.put(b(key), b("b" + step));
                                model.put(key, "b" + step);
                            }
                        }
                        db.write(batch, WriteOptions.sync());
                    } else if (op < 70) {
                        String key = key(random);
                        byte[] value = db.get(b(key));
                        assertThat(value == null ? null : s(value)).as(context + ", get " + key).isEqualTo(model.get(key));
                    } else if (op < 73) {
                        scan(db, ReadOptions.defaults(), model, random.nextBoolean(), context);
                    } else if (op < 76 && pinned.size() < 3) {
                        pinned.put(db.snapshot(), new TreeMap<>(model));
                    } else if (op < 79 && !pinned.isEmpty()) {
                        Snapshot snapshot = pinned.keySet().iterator().next();
                        scan(db, ReadOptions.at(snapshot), pinned.get(snapshot), random.nextBoolean(), context + " at snapshot");
                        if (random.nextBoolean()) {
                            pinned.remove(snapshot);
                            snapshot.close();
                        }
                    } else if (op < 80) {
                        db.flush();
                    } else if (op < 81) {
                        db.compactRange(null, null);
                    } else if (op < 97) {
                        background.runSomeAtRandom();
                    } else if (op < 98) {
                        background.runAll();
                    } else if (op < 99) {
                        for (Snapshot snapshot : pinned.keySet()) {
                            snapshot.close();
                        }
                        pinned.clear();
                        db.close();
                        db = Db.open(dir, options);
                    }
                }
                background.runAll();
                scan(db, ReadOptions.defaults(), model, false, "seed " + seed + " at the end");
                assertThat(db.property("lsm.background-error")).isEmpty();
                assertThat(db.core().internals().compactionStats().compactions()).as("seed %d: compactions ran", seed).isPositive();
            } finally {
                db.close();
            }
            try (Db reopened = Db.open(dir, options)) {
                scan(reopened, ReadOptions.defaults(), model, true, "seed " + seed + " after reopen");
            }
        }
    }

    private static String key(Random random) {
        return String.format("k%03d", random.nextInt(300));
    }

    static void scan(Db db, ReadOptions at, TreeMap<String, String> expected, boolean backwards, String context)
            throws IOException {
        List<String> seen = new ArrayList<>();
        try (DbIterator it = db.iterator(at)) {
            if (backwards) {
                for (it.seekToLast(); it.isValid(); it.prev()) {
                    seen.add(s(it.key()) + "=" + s(it.value()));
                }
            } else {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    seen.add(s(it.key()) + "=" + s(it.value()));
                }
            }
        }
        List<String> want = new ArrayList<>();
        Iterator<Map.Entry<String, String>> entries = backwards
                ? expected.descendingMap().entrySet().iterator() : expected.entrySet().iterator();
        entries.forEachRemaining(entry -> want.add(entry.getKey() + "=" + entry.getValue()));
        assertThat(seen).as(context).isEqualTo(want);
    }
}
