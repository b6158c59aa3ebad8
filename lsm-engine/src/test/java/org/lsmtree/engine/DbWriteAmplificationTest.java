package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;
import org.lsmtree.testing.ManualExecutor;

/**
 * Write amplification of leveled compaction in a random fill, as a count: the bytes of tables
 * that flushes and compactions wrote, over the bytes the user wrote (16-byte keys, 100-byte
 * values), with the benchmark's shape (4 MiB write buffer, 2 MiB files, level 1 at 10 MiB, no
 * compression). Background work runs on a {@link ManualExecutor} drained after every put, so the
 * count replays exactly from the seed ({@code -Dlsm.wa.seed}; {@code -Dlsm.wa.keys} sets the size).
 *
 * <p>The bound, {@value #BOUND} table bytes per user byte for 700,000 puts: C++ LevelDB 1.23 with
 * the same options and workload wrote 3.49, 3.63 and 3.72 (three runs of its own background
 * thread, settled); our picker on LevelDB's rules alone wrote 3.64 under this schedule. Cutting
 * outputs where a file of the next level ends ({@code Compaction.GrandparentCut}) brings it to
 * 3.19 for seed 1 (3.19 to 3.27 for seeds 1 to 4, against 3.60 to 3.64 before). The bound sits
 * below LevelDB's lowest run and leaves about 6% for changes elsewhere (table layout, flush
 * sizes) that move the count without changing the rules.
 */
class DbWriteAmplificationTest {
    private static final double BOUND = 3.4;
    private static final int VALUE_BYTES = 100;

    @TempDir
    Path dir;

    @Test
    void aRandomFillWritesLessThanLevelDbDoes() throws IOException {
        int keys = Integer.getInteger("lsm.wa.keys", 700_000);
        long seed = Long.getLong("lsm.wa.seed", 1);
        System.out.println("DbWriteAmplificationTest seed " + seed + " (-Dlsm.wa.seed=" + seed + " replays it)");
        ManualExecutor background = new ManualExecutor(seed);
        Options options = Options.defaults().withBackgroundExecutor(background).withWriteBufferSize(4 << 20)
                .withTargetFileSize(2 << 20).withLevelSizes(10 << 20, 10).withCompression(Options.Compression.NONE);
        Random random = new Random(seed);
        byte[] value = new byte[VALUE_BYTES];
        try (Db db = Db.open(dir.resolve("db"), options)) {
            for (int i = 0; i < keys; i++) {
                byte[] key = String.format("%016d", random.nextInt(keys)).getBytes(StandardCharsets.US_ASCII);
                random.nextBytes(value);
                db.put(key, value, WriteOptions.noSync());
                background.runAll();
            }
            String stats = db.property("lsm.stats");
            System.out.println(stats);
            CompactionStats compactions = db.core().internals().compactionStats();
            double userBytes = (double) keys * (16 + VALUE_BYTES);
            double amplification = compactions.writtenBytes() / userBytes;
            System.out.printf("table bytes written per user byte: %.3f (bound %.2f)%n", amplification, BOUND);

            assertThat(amplification).as(stats).isLessThanOrEqualTo(BOUND);
            assertThat(compactions.compactions()).as("the fill reached level 2 by merges").isGreaterThan(10);
            assertThat(compactions.seekCompactions()).as("no gets, no seek compactions").isZero();
            LevelState state = db.core().internals().versions().current().state();
            CompactionPicker picker = new CompactionPicker(options);
            for (int level = 0; level < ManifestFormat.NUM_LEVELS - 1; level++) {
                assertThat(picker.score(state, level)).as("score of level %d once drained", level).isLessThan(1);
            }
            assertThat(db.core().internals().stalls().flushWaits()).as("no writer waited for a flush").isZero();
        }
    }
}
