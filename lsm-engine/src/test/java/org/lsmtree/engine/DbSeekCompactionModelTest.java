package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;
import static org.lsmtree.engine.DbOpenAndWriteTest.s;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.ManualExecutor;

/**
 * The store against a {@link TreeMap} under a read-heavy random mix (puts, deletes, many gets,
 * scans both ways, short seeks, flushes, background work at random points, rare reopens; every
 * other 300 steps without writes, so that tables live long enough to spend their budgets), with seek
 * compaction on and tables small enough that lookups keep probing several of them, so that the
 * compactions reads trigger run between the operations, and their results are read at once.
 * Plain seeded loops: a failure prints its seed; {@code -Dlsm.model.seed} replays it, and
 * {@code -Dlsm.model.steps} sets the length (the soak profile raises it).
 */
class DbSeekCompactionModelTest {

    @Test
    void readTriggeredCompactionsKeepTheStoreEqualToAMap() throws IOException {
        long steps = Long.getLong("lsm.model.steps", 1000) * 3;
        Long replay = Long.getLong("lsm.model.seed");
        long[] seeds = replay != null ? new long[] {replay} : new long[] {21, 22};
        long seekCompactions = 0;
        for (long seed : seeds) {
            System.out.println("DbSeekCompactionModelTest seed " + seed + " (-Dlsm.model.seed=" + seed + " replays it)");
            seekCompactions += run(seed, steps);
        }
        assertThat(seekCompactions).as("compactions triggered by reads").isPositive();
    }

    /** Runs one seeded sequence; returns the seek-triggered compactions it saw. */
    private static long run(long seed, long steps) throws IOException {
        Random random = new Random(seed);
        ManualExecutor background = new ManualExecutor(seed);
        Options options = Options.defaults().withBackgroundExecutor(background).withWriteBufferSize(8 << 10)
                .withTargetFileSize(2048).withLevelSizes(16 << 10, 4).withLevelZeroTriggers(6, 10, 14);
        TreeMap<String, String> model = new TreeMap<>();
        long seekCompactions = 0;
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Db db = Db.open(dir, options);
            try {
                for (long step = 0; step < steps; step++) {
                    String context = "seed " + seed + ", step " + step;
                    int op = random.nextInt(100);
                    if (op < 28 && step / 300 % 2 == 1) {
                        op = 28 + random.nextInt(50); // a phase of reads alone, as a benchmark's reads after its fill
                    }
                    if (op < 22) {
                        String key = key(random);
                        String value = "v" + step + "x".repeat(random.nextInt(40));
                        db.put(b(key), b(value), WriteOptions.noSync());
                        model.put(key, value);
                    } else if (op < 28) {
                        String key = key(random);
                        db.delete(b(key), WriteOptions.noSync());
                        model.remove(key);
                    } else if (op < 78) {
                        String key = key(random);
                        byte[] value = db.get(b(key));
                        assertThat(value == null ? null : s(value)).as(context + ", get " + key).isEqualTo(model.get(key));
                    } else if (op < 81) {
                        DbBackgroundModelTest.scan(db, ReadOptions.defaults(), model, random.nextBoolean(), context);
                    } else if (op < 85) {
                        seekAndRead(db, key(random), model, context);
                    } else if (op < 87) {
                        db.flush();
                    } else if (op < 99) {
                        background.runSomeAtRandom();
                    } else if (random.nextInt(10) == 0) { // rarely: a reopen starts every budget afresh
                        seekCompactions += db.core().internals().compactionStats().seekCompactions();
                        db.close();
                        db = Db.open(dir, options);
                    }
                }
                background.runAll();
                DbBackgroundModelTest.scan(db, ReadOptions.defaults(), model, false, "seed " + seed + " at the end");
                assertThat(db.property("lsm.background-error")).isEmpty();
                seekCompactions += db.core().internals().compactionStats().seekCompactions();
                System.out.println("DbSeekCompactionModelTest seed " + seed + ": " + seekCompactions
                        + " seek-triggered compactions\n" + db.property("lsm.stats"));
            } finally {
                db.close();
            }
            try (Db reopened = Db.open(dir, options)) {
                DbBackgroundModelTest.scan(reopened, ReadOptions.defaults(), model, true, "seed " + seed + " after reopen");
            }
        }
        return seekCompactions;
    }

    /** Seeks to {@code target} and reads up to five keys from there, as the model has them. */
    private static void seekAndRead(Db db, String target, TreeMap<String, String> model, String context)
            throws IOException {
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            it.seek(b(target));
            for (String key : model.tailMap(target, true).keySet().stream().limit(5).toList()) {
                assertThat(it.isValid()).as(context + ", seek " + target + " reaches " + key).isTrue();
                assertThat(s(it.key())).as(context + ", seek " + target).isEqualTo(key);
                assertThat(s(it.value())).as(context + ", seek " + target + " value").isEqualTo(model.get(key));
                it.next();
            }
        }
    }

    private static String key(Random random) {
        return String.format("k%04d", random.nextInt(1000));
    }
}
