package org.lsmtree.bench;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.sstable.Block;
import org.lsmtree.sstable.BlockCache;
import org.lsmtree.sstable.TableBuilder;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;
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
 * JMH: the read path of one table with every block in memory (a table of 20,000 internal keys of
 * 16 + 8 bytes with 100-byte values, db_bench's shape, 4 KiB blocks, 10 bloom bits per key),
 * {@code file}:
 * <ul>
 *   <li>{@code mapped}: read through a memory mapping, each data block copied out of it into the
 *       reader's buffer and checksummed on every read, never cached (the default on a real disk);
 *   <li>{@code positional}: read with positional reads (as on jimfs, or a file that cannot be
 *       mapped), all its data blocks held by a cache that never evicts.
 * </ul>
 * Lookups and seeks verify checksums, as the engine does by default. Benchmarks:
 * <ul>
 *   <li>{@code seek}: an index-block seek and a data-block seek (restart binary search and scan,
 *       keys compared in place) on a reused iterator: what seekrandom does per table;
 *   <li>{@code lookupPresent}: a point lookup that finds its key (allocates only the value);
 *   <li>{@code lookupAbsent}: a lookup of a key between two present keys: index seek and bloom
 *       probe, no data block touched unless the filter lets it through.
 * </ul>
 * Run with the allocation profiler to see bytes per operation:
 * {@code java -cp <bench classpath> org.openjdk.jmh.Main TableRead -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TableReadBenchmark {
    private static final int KEYS = 20_000;

    @Param({"mapped", "positional"})
    public String file;

    private Path directory;
    private TableReader table;
    private InternalIterator iterator;
    private byte[][] present;
    private byte[][] absent;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("table-read-benchmark");
        NioStorage storage = NioStorage.onDefaultFileSystem();
        Path file = directory.resolve("000001.ldb");
        TableOptions options = TableOptions.defaults();
        try (WritableFile out = storage.create(file)) {
            TableBuilder builder = new TableBuilder(out, options);
            for (int i = 0; i < KEYS; i += 2) {
                builder.add(InternalKey.encode(userKey(i), 1, ValueType.PUT), new byte[100]);
            }
            builder.finish();
            out.sync();
        }
        // Blocks by offset / 64: 4 KiB blocks never share a slot, and a lookup boxes nothing.
        Block[] blocks = new Block[(int) (Files.size(file) / 64) + 1];
        BlockCache everything = new BlockCache() {
            @Override
            public Block get(long tableId, long blockOffset) {
                return blocks[(int) (blockOffset / 64)];
            }

            @Override
            public void put(long tableId, long blockOffset, Block block) {
                blocks[(int) (blockOffset / 64)] = block;
            }
        };
        table = TableReader.open(this.file.equals("mapped") ? storage : positional(storage), file, -1, options,
                everything, 1);
        iterator = table.iterator(true);
        Random random = new Random(301);
        present = new byte[1024][];
        absent = new byte[1024][];
        for (int i = 0; i < present.length; i++) {
            present[i] = InternalKey.encode(userKey(2 * random.nextInt(KEYS / 2)), InternalKey.MAX_SEQUENCE,
                    ValueType.FOR_SEEK);
            absent[i] = InternalKey.encode(userKey(2 * random.nextInt(KEYS / 2) + 1), InternalKey.MAX_SEQUENCE,
                    ValueType.FOR_SEEK);
        }
        for (byte[] key : present) {
            table.lookup(key, true); // every block into the cache (positional) or walked once (mapped)
        }
    }

    /** {@code storage} with {@code openMapped} answered by positional reads. */
    private static Storage positional(Storage storage) {
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, arguments) -> {
                    try {
                        return method.getName().equals("openMapped")
                                ? storage.openRandomRead((Path) arguments[0]) : method.invoke(storage, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        iterator.close();
        table.close();
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    private static byte[] userKey(int i) {
        return String.format("%016d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] nextOf(byte[][] keys) {
        next = (next + 1) & (keys.length - 1);
        return keys[next];
    }

    @Benchmark
    public boolean seek() throws IOException {
        iterator.seek(nextOf(present));
        return iterator.isValid();
    }

    @Benchmark
    public byte[] lookupPresent() throws IOException {
        return table.lookup(nextOf(present), true);
    }

    @Benchmark
    public byte[] lookupAbsent() throws IOException {
        return table.lookup(nextOf(absent), true);
    }
}
