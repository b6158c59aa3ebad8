package org.lsmtree.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.Varint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the per-block and per-entry decoding costs of a table read. {@code crc32c4k}: the masked
 * CRC32C of a 4 KiB block (what a block read from the file verifies once); {@code varint1} and
 * {@code varint3}: decoding 64 varint32s of one and of three bytes ({@code Varint.getVarint32WithLength},
 * what a block entry's three lengths cost). Run:
 * {@code java -cp <bench classpath> org.openjdk.jmh.Main ChecksumAndVarint -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChecksumAndVarintBenchmark {
    private static final int VARINTS = 64;

    private byte[] block;
    private byte[] oneByteVarints;
    private byte[] threeByteVarints;

    @Setup
    public void setUp() {
        block = new byte[4096];
        new Random(301).nextBytes(block);
        oneByteVarints = new byte[VARINTS];
        threeByteVarints = new byte[VARINTS * 3];
        for (int i = 0; i < VARINTS; i++) {
            Varint.putVarint32(oneByteVarints, i, i);
            Varint.putVarint32(threeByteVarints, i * 3, (1 << 14) + i);
        }
    }

    @Benchmark
    public int crc32c4k() {
        return Crc32c.mask(Crc32c.compute(block, 0, block.length));
    }

    @Benchmark
    public long varint1() throws CorruptionException {
        return sum(oneByteVarints);
    }

    @Benchmark
    public long varint3() throws CorruptionException {
        return sum(threeByteVarints);
    }

    private static long sum(byte[] varints) throws CorruptionException {
        long sum = 0;
        int at = 0;
        while (at < varints.length) {
            long packed = Varint.getVarint32WithLength(varints, at, varints.length);
            sum += (int) packed;
            at += (int) (packed >>> 32);
        }
        return sum;
    }
}
