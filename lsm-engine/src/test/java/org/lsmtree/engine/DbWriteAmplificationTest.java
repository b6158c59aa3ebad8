package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.testing.ManualExecutor;

class DbWriteAmplificationTest {
    @TempDir
    Path dir;

    @Test
    void measure() throws IOException {
        int keys = Integer.getInteger("lsm.wa.keys", 300_000);
        long seed = Long.getLong("lsm.wa.seed", 1);
        boolean real = Boolean.getBoolean("lsm.wa.real");
        ManualExecutor background = new ManualExecutor(seed);
        Options options = Options.defaults().withWriteBufferSize(4 << 20).withLevelSizes(10 << 20, 10)
                .withTargetFileSize(2 << 20).withCompression(Options.Compression.NONE);
        if (!real) {
            options = options.withBackgroundExecutor(background);
        }
        Random random = new Random(seed);
        byte[] value = new byte[100];
        try (Db db = Db.open(dir.resolve("db"), options)) {
            for (int i = 0; i < keys; i++) {
                byte[] key = String.format("%016d", random.nextInt(keys)).getBytes(StandardCharsets.US_ASCII);
                random.nextBytes(value);
                db.put(key, value, WriteOptions.noSync());
                if (!real) {
                    background.runAll();
                }
            }
            if (real) {
                while (!"0".equals(db.property("lsm.mem-table-flush-pending")) || !"0".equals(db.property("lsm.compaction-pending"))) {
                    try { Thread.sleep(20); } catch (InterruptedException e) { throw new IOException(e); }
                }
            }
            System.out.println(db.property("lsm.stats"));
            System.out.println("user bytes " + (long) keys * 116);
        }
    }
}
