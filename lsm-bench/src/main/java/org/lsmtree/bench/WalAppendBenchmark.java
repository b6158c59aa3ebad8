package org.lsmtree.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.SizeOnlyWritableFile;
import org.lsmtree.wal.WalWriter;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: appending a write group of {@code groupSize} one-put batches (16-byte key, 100-byte value)
 * to a WAL as one record, unsynced: framing and CRC32C alone ({@code file = memory}, a file that
 * drops what it is given), or also the write to a real file, appended and flushed as the store
 * does for a write that is not synced: through the memory mapping the store's WAL uses
 * ({@code file = mapped}: a copy into the page cache, no system call), or through the channel
 * writer ({@code file = channel}: one {@code write} per group, what the store did before and
 * still does where it cannot map). Run with {@code -prof gc} for the allocation per append.
 * Run: {@code java -cp <bench classpath> org.openjdk.jmh.Main WalAppendBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WalAppendBenchmark {
    private static final long ROLL_BYTES = 64 << 20;

    @Param({"1", "16"})
    public int groupSize;

    @Param({"memory", "mapped", "channel"})
    public String file;

    private Path directory;
    private WalWriter writer;
    private List<WriteBatch> group;
    private long sequence = 1;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        group = new ArrayList<>();
        for (int i = 0; i < groupSize; i++) {
            group.add(new WriteBatch().put(String.format("%016d", i).getBytes(StandardCharsets.US_ASCII), new byte[100]));
        }
        if (!file.equals("memory")) {
            directory = Files.createTempDirectory("wal-append-bench");
        }
        writer = newWriter();
    }

    private WalWriter newWriter() throws IOException {
        if (directory == null) {
            return new WalWriter(new SizeOnlyWritableFile());
        }
        NioStorage storage = NioStorage.of(directory.getFileSystem());
        Path log = directory.resolve("000001.log");
        return file.equals("mapped") ? WalWriter.create(storage, log) : new WalWriter(storage.create(log));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        writer.close();
        if (directory != null) {
            Files.deleteIfExists(directory.resolve("000001.log"));
            Files.deleteIfExists(directory);
        }
    }

    @Benchmark
    public long appendGroup() throws IOException {
        long end = writer.append(sequence, group);
        writer.flush();
        sequence += groupSize;
        if (end > ROLL_BYTES) { // start over, so that a long run does not fill the disk
            writer.close();
            writer = newWriter();
        }
        return end;
    }
}
