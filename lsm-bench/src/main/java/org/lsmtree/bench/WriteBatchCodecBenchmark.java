package org.lsmtree.bench;

import java.util.concurrent.TimeUnit;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.wal.SequencedBatch;
import org.lsmtree.wal.WriteBatch;
import org.lsmtree.wal.WriteBatchCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: encoding and decoding a write batch of 100 puts of 16-byte keys and 100-byte values, the
 * WAL's per-write work. Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main WriteBatchCodec}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WriteBatchCodecBenchmark {
    private SequencedBatch batch;
    private byte[] encoded;

    @Setup
    public void setUp() {
        WriteBatch writes = new WriteBatch();
        for (int i = 0; i < 100; i++) {
            writes.put(String.format("%016d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[100]);
        }
        batch = new SequencedBatch(1, writes);
        encoded = WriteBatchCodec.INSTANCE.encode(batch);
    }

    @Benchmark
    public byte[] encode() {
        return WriteBatchCodec.INSTANCE.encode(batch);
    }

    @Benchmark
    public SequencedBatch decode() throws CorruptionException {
        return WriteBatchCodec.INSTANCE.decode(encoded);
    }
}
