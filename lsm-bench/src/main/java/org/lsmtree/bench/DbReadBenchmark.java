package org.lsmtree.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.ReadOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: the engine's read paths over a store of 100,000 keys (16 + 100 bytes) filled in a random
 * order and settled by its background work (memtable, level-0 files and deeper levels, as
 * readrandom and seekrandom meet them), with a block cache that holds every block: a {@code get}
 * of a present key, and seekrandom's unit (an iterator made, seeked, stepped once, closed).
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main DbReadBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DbReadBenchmark {
    private static final int KEYS = 100_000;

    private FilledStore store;
    private Db db;
    private byte[][] targets;
    private int next;

    @Setup
    public void setUp() throws IOException {
        store = new FilledStore(KEYS);
        db = store.db();
        targets = store.presentKeys(4096, 7);
    }

    @TearDown
    public void tearDown() throws IOException {
        store.close();
    }

    @Benchmark
    public byte[] get() throws IOException {
        return db.get(targets[next++ & (targets.length - 1)]);
    }

    @Benchmark
    public boolean iteratorSeekNext() throws IOException {
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            it.seek(targets[next++ & (targets.length - 1)]);
            if (it.isValid()) {
                it.next();
            }
            return it.isValid();
        }
    }
}
