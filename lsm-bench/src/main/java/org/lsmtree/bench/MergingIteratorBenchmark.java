package org.lsmtree.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.MergingIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: a merging iterator over {@code sources} in-memory sorted sources of internal keys (16-byte
 * user keys, 100-byte values, the keys dealt to the sources at random), walked whole forward and
 * backward through its views, and seeked at random: the per-entry cost of the merge itself under
 * readseq, readreverse and seekrandom, with no table or memtable underneath. Scores are per entry
 * (per seek for {@code seek}). Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main MergingIteratorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MergingIteratorBenchmark {
    private static final int ENTRIES = 100_000;

    @Param({"1", "4", "12"})
    public int sources;

    private MergingIterator merged;
    private byte[][] targets;
    private int nextTarget;
    private final Slice key = new Slice();
    private final Slice value = new Slice();

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(301);
        List<List<Integer>> dealt = new ArrayList<>();
        for (int s = 0; s < sources; s++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < ENTRIES; i++) {
            dealt.get(random.nextInt(sources)).add(i);
        }
        List<InternalIterator> children = new ArrayList<>();
        for (List<Integer> indices : dealt) {
            byte[][] keys = new byte[indices.size()][];
            byte[][] values = new byte[indices.size()][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = internalKey(indices.get(i), ENTRIES - indices.get(i));
                values[i] = new byte[100];
            }
            children.add(new SortedArraySource(keys, values));
        }
        merged = new MergingIterator(new InternalKeyComparator(BytewiseComparator.INSTANCE), children);
        targets = new byte[1024][];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = internalKey(random.nextInt(ENTRIES), InternalKey.MAX_SEQUENCE);
        }
    }

    private static byte[] internalKey(int index, long sequence) {
        byte[] user = String.format("%016d", index).getBytes(StandardCharsets.US_ASCII);
        return InternalKey.encode(user, sequence, sequence == InternalKey.MAX_SEQUENCE ? ValueType.FOR_SEEK : ValueType.PUT);
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public void scanForward(Blackhole sink) throws IOException {
        for (merged.seekToFirst(); merged.isValid(); merged.next()) {
            sink.consume(merged.keyView(key).length() + merged.valueView(value).length());
        }
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public void scanBackward(Blackhole sink) throws IOException {
        for (merged.seekToLast(); merged.isValid(); merged.prev()) {
            sink.consume(merged.keyView(key).length() + merged.valueView(value).length());
        }
    }

    /** Walks the whole merge one way through its views; returns the entries seen. */
    long walk(boolean forward) throws IOException {
        long entries = 0;
        if (forward) {
            for (merged.seekToFirst(); merged.isValid(); merged.next()) {
                entries += merged.keyView(key).length() > 0 && merged.valueView(value).length() > 0 ? 1 : 0;
            }
        } else {
            for (merged.seekToLast(); merged.isValid(); merged.prev()) {
                entries += merged.keyView(key).length() > 0 && merged.valueView(value).length() > 0 ? 1 : 0;
            }
        }
        return entries;
    }

    @Benchmark
    public int seek() throws IOException {
        merged.seek(targets[nextTarget++ & (targets.length - 1)]);
        return merged.isValid() ? merged.keyView(key).length() : -1;
    }
}
