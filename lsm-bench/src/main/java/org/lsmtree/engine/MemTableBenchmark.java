package org.lsmtree.engine;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.wal.WriteBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the memtable's hot paths with db_bench's shape (16-byte keys, 100-byte values): inserting
 * one put from a write batch (keys in random or in ascending order; the memtable starts over once
 * it holds a 4 MiB write buffer's worth), a lookup that hits, and a step of a forward scan. In
 * {@code org.lsmtree.engine} because the memtable is package-private.
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main MemTableBenchmark} (add
 * {@code -prof gc} for the bytes allocated per operation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MemTableBenchmark {
    private static final InternalKeyComparator ORDER = new InternalKeyComparator(BytewiseComparator.INSTANCE);
    private static final int ENTRIES = 30_000; // about a 4 MiB write buffer of 16 + 100 bytes
    private static final byte[] VALUE = new byte[100];

    /** Key order of the inserts: {@code random} (fillrandom) or {@code sequential} (fillseq). */
    @Param({"random", "sequential"})
    public String order;

    private byte[][] keys;
    private MemTable filled;
    private MemTable filling;
    private final WriteBatch batch = new WriteBatch();
    private InternalIterator scan;
    private long sequence;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        keys = new byte[ENTRIES][];
        SplittableRandom random = new SplittableRandom(301);
        for (int i = 0; i < ENTRIES; i++) {
            long number = order.equals("sequential") ? i : random.nextLong(1_000_000_000L);
            keys[i] = String.format("%016d", number).getBytes(StandardCharsets.US_ASCII);
        }
        filled = new MemTable(ORDER);
        for (int i = 0; i < ENTRIES; i++) {
            filled.add(i + 1, org.lsmtree.format.key.ValueType.PUT, keys[i], VALUE);
        }
        filling = new MemTable(ORDER);
        scan = filled.iterator();
        sequence = ENTRIES + 1;
    }

    @Benchmark
    public int insert() {
        if (next == ENTRIES) {
            filling = new MemTable(ORDER);
            next = 0;
        }
        batch.clear();
        batch.put(keys[next++], VALUE);
        filling.insert(sequence++, batch);
        return filling.size();
    }

    @Benchmark
    public Lookup getHit() {
        next = next == ENTRIES ? 0 : next;
        return filled.get(keys[next++], Long.MAX_VALUE >>> 8);
    }

    @Benchmark
    public boolean scanStep() throws java.io.IOException {
        if (!scan.isValid()) {
            scan.seekToFirst();
        }
        scan.next();
        return scan.isValid();
    }
}
