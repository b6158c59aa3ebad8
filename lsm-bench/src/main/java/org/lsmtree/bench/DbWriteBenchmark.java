package org.lsmtree.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.WriteOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: the whole put path of one writer, unsynced: {@code Db.put} of 16 + 100 bytes
 * ({@link KeySpace}) into a store of the benchmark's shape ({@link LsmTreeEngine}: 4 MiB write
 * buffer) in a temporary directory of the default file system, so the WAL is memory-mapped: the
 * group-commit queue (a lone leader), the stall check, the WAL append and the memtable insert,
 * with the flushes and compactions of the store's background threads behind them. Keys in order
 * ({@code order = sequential}, fillseq) or drawn at random from 2^20 ({@code random}, fillrandom
 * and overwrite). The caller reuses its key and value arrays (the store copies what it keeps), so
 * {@code -prof gc} shows what the store allocates per put: the memtable arena's bytes, about the
 * entry's size. Each trial starts a new store; iterations go on writing into it.
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main DbWriteBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DbWriteBenchmark {
    private static final int KEY_RANGE = 1 << 20;

    @Param({"sequential", "random"})
    public String order;

    private final KeySpace space = new KeySpace(16, 100, 301);
    private final byte[] key = new byte[16];
    private final byte[] value = new byte[100];
    private final SplittableRandom random = new SplittableRandom(301);
    private Path directory;
    private LsmTreeEngine engine;
    private Db db;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("lsm-write-bench");
        engine = new LsmTreeEngine(directory, BenchSettings.BLOCK_CACHE_BYTES);
        db = engine.db();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        DiskUsage.delete(directory);
    }

    @Benchmark
    public void put() throws IOException {
        int index = order.equals("random") ? random.nextInt(KEY_RANGE) : next;
        space.keyInto(index, key);
        space.valueInto(next++, value);
        db.put(key, value, WriteOptions.noSync());
    }
}
