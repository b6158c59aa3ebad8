package org.lsmtree.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.lsmtree.engine.Db;

/**
 * A store of ours for the read probes ({@link ReadAllocations}, {@link DbReadBenchmark}) in a
 * directory of its own: {@code keys} keys of {@link KeySpace} (16 + 100 bytes) put once each in a
 * random order, as fillrandom does, then left until background flushes and compactions settle,
 * so reads meet a memtable, level-0 files and deeper levels. Its block cache is sized to hold
 * every block unless asked otherwise, so that reads count the engine's work, not the file's (on
 * the default file system the tables are mapped and their blocks bypass the cache anyway).
 * Closing deletes the store.
 */
final class FilledStore implements Closeable {
    private static final long CACHE_BYTES = 256L << 20;

    private final Path directory;
    private final LsmTreeEngine engine;
    private final KeySpace keys = new KeySpace(16, 100, 301);
    private final int count;

    FilledStore(int count) throws IOException {
        this(count, CACHE_BYTES);
    }

    /** A store whose block cache holds {@code cacheBytes} (for reads that miss it). */
    FilledStore(int count, long cacheBytes) throws IOException {
        this.count = count;
        this.directory = Files.createTempDirectory("lsm-read-probe");
        this.engine = new LsmTreeEngine(directory, cacheBytes);
        int[] order = KeySpace.shuffledIndexes(count, 301);
        for (int i = 0; i < count; i++) {
            engine.put(keys.key(order[i]), keys.value(i), false);
        }
        engine.settle();
    }

    Db db() {
        return engine.db();
    }

    /** {@code n} keys of the store drawn at random (seeded). */
    byte[][] presentKeys(int n, long seed) {
        return drawn(n, seed, keys::key);
    }

    /** {@code n} keys the store does not hold, drawn at random (seeded). */
    byte[][] missingKeys(int n, long seed) {
        return drawn(n, seed, keys::missingKey);
    }

    private byte[][] drawn(int n, long seed, java.util.function.IntFunction<byte[]> key) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] picked = new byte[n][];
        for (int i = 0; i < n; i++) {
            picked[i] = key.apply(random.nextInt(count));
        }
        return picked;
    }

    @Override
    public void close() throws IOException {
        try {
            engine.close();
        } finally {
            DiskUsage.delete(directory);
        }
    }
}
