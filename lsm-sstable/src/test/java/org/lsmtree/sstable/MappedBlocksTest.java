package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.sstable.TableFixtures.b;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;

/** Data blocks of a mapped table come from the mapping, not the block cache ({@link MappedBlocks}). */
class MappedBlocksTest {
    private static final int ENTRIES = 3_000;

    @TempDir Path tempDir;

    private final Storage storage = NioStorage.onDefaultFileSystem();
    private final TableOptions options = TableOptions.defaults().withBlockSize(512).withVerifyChecksums(true);
    private final CountingCache cache = new CountingCache();

    /** A cache that caches everything and counts every call. */
    static final class CountingCache implements BlockCache {
        final Map<Long, Block> blocks = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicLong gets = new AtomicLong();
        final AtomicLong puts = new AtomicLong();
        final AtomicLong mappedReads = new AtomicLong();
        final AtomicLong mappedBytes = new AtomicLong();

        @Override
        public Block get(long tableId, long blockOffset) {
            gets.incrementAndGet();
            return blocks.get(blockOffset);
        }

        @Override
        public void put(long tableId, long blockOffset, Block block) {
            puts.incrementAndGet();
            blocks.put(blockOffset, block);
        }

        @Override
        public void recordMappedRead(int bytes) {
            mappedReads.incrementAndGet();
            mappedBytes.addAndGet(bytes);
        }
    }

    private Path write(TableOptions tableOptions, NavigableMap<byte[], byte[]> entries) throws IOException {
        Path file = tempDir.resolve("000009.ldb");
        TableFixtures.write(storage, file, tableOptions, entries);
        return file;
    }

    private static byte[] seekKey(int i) {
        return InternalKey.encode(b(String.format("key%06d", i)), InternalKey.MAX_SEQUENCE, ValueType.FOR_SEEK);
    }

    private int dataBlocks(TableReader reader) throws IOException {
        BlockIterator index = reader.indexBlock().iterator(options.keyOrder());
        int count = 0;
        for (index.seekToFirst(); index.isValid(); index.next()) {
            count++;
        }
        return count;
    }

    @Test
    void lookupsScansAndSeeksOfAMappedTableNeverTouchTheCache() throws IOException {
        NavigableMap<byte[], byte[]> entries = TableFixtures.internalEntries(ENTRIES);
        Path file = write(options, entries);
        try (TableReader reader = TableReader.open(storage, file, -1, options, cache, 9)) {
            assertThat(reader.isMapped()).isTrue();
            assertThat(dataBlocks(reader)).isGreaterThan(50);
            for (int i = 0; i < ENTRIES; i++) {
                assertThat(reader.lookup(seekKey(i), true)).as("key %d", i).isEqualTo(b("value" + i));
            }
            assertThat(reader.lookup(seekKey(ENTRIES + 5), true)).isNull();
            try (InternalIterator iterator = reader.iterator()) {
                assertThat(TableFixtures.describe(TableFixtures.scan(iterator)))
                        .isEqualTo(TableFixtures.describe(entries));
                List<String> backward = TableFixtures.describe(TableFixtures.scanBackward(iterator));
                List<String> expected = new ArrayList<>(TableFixtures.describe(entries.descendingMap()));
                assertThat(backward).isEqualTo(expected);
                for (int i = 0; i < ENTRIES; i += 7) {
                    iterator.seek(seekKey(i));
                    assertThat(iterator.value()).isEqualTo(b("value" + i));
                    if (i > 0) {
                        iterator.prev(); // often into the block before, read into the same buffer
                        assertThat(iterator.value()).isEqualTo(b("value" + (i - 1)));
                    }
                }
            }
        }
        assertThat(cache.gets).hasValue(0);
        assertThat(cache.puts).hasValue(0);
        assertThat(cache.blocks).isEmpty();
        assertThat(cache.mappedReads.get()).isGreaterThan(ENTRIES);
        assertThat(cache.mappedBytes.get()).isGreaterThan(cache.mappedReads.get() * 100);
    }

    @Test
    void eachBlockIsWalkedOncePerOpenTable() throws IOException {
        Path file = write(options, TableFixtures.internalEntries(ENTRIES));
        try (TableReader reader = TableReader.open(storage, file, -1, options, cache, 9)) {
            int blocks = dataBlocks(reader);
            TableFixtures.scan(reader.iterator(true));
            assertThat(reader.mappedBlockWalks()).isEqualTo(blocks);
            TableFixtures.scan(reader.iterator(true));
            TableFixtures.scanBackward(reader.iterator(true));
            for (int i = 0; i < ENTRIES; i++) {
                reader.lookup(seekKey(i), true);
            }
            TableFixtures.scan(reader.iterator(false)); // unverified: the checksum still says the bytes were walked
            assertThat(reader.mappedBlockWalks()).isEqualTo(blocks);
        }
        try (TableReader reopened = TableReader.open(storage, file, -1, options, cache, 9)) {
            TableFixtures.scan(reopened.iterator(true));
            assertThat(reopened.mappedBlockWalks()).as("a fresh open walks afresh").isEqualTo(dataBlocks(reopened));
        }
    }

    @Test
    void aBlockDamagedOnDiskAfterOpenIsACorruptionAtItsOffsetOnTheNextRead() throws IOException {
        Path file = write(options, TableFixtures.internalEntries(ENTRIES));
        try (TableReader reader = TableReader.open(storage, file, -1, options, cache, 9)) {
            int victim = ENTRIES / 2;
            assertThat(reader.lookup(seekKey(victim), true)).isEqualTo(b("value" + victim));
            BlockIterator index = reader.indexBlock().iterator(options.keyOrder());
            index.seek(seekKey(victim));
            index.decodeHandle("index entry");
            long offset = index.handleOffset();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, offset + 20);
                one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
                channel.write(one, offset + 20);
            }
            assertThatThrownBy(() -> reader.lookup(seekKey(victim), true))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("data block at " + offset + ": checksum mismatch")
                    .satisfies(e -> assertThat(((CorruptionException) e).offset()).isEqualTo(offset));
            try (InternalIterator iterator = reader.iterator()) {
                assertThatThrownBy(() -> iterator.seek(seekKey(victim)))
                        .isInstanceOf(CorruptionException.class)
                        .hasMessageContaining("data block at " + offset);
            }
            assertThat(reader.lookup(seekKey(0), true)).as("other blocks still read").isEqualTo(b("value0"));
        }
    }

    @Test
    void aBlockWhoseBytesChangedIsWalkedAgainWhenChecksumsAreNotVerified() throws IOException {
        Path file = write(options, TableFixtures.internalEntries(ENTRIES));
        try (TableReader reader = TableReader.open(storage, file, -1, options, cache, 9)) {
            TableFixtures.scan(reader.iterator(false));
            long walks = reader.mappedBlockWalks();
            BlockIterator index = reader.indexBlock().iterator(options.keyOrder());
            index.seek(seekKey(ENTRIES / 3));
            index.decodeHandle("index entry");
            long offset = index.handleOffset();
            // The first entry's shared-bytes varint, 0, becomes 5: no key before it to share with.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[] {5}), offset);
            }
            assertThatThrownBy(() -> reader.lookup(seekKey(ENTRIES / 3), false))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("block at " + offset);
            assertThat(reader.mappedBlockWalks()).isGreaterThan(walks);
        }
    }

    @Test
    void iteratorsMadeOneAfterAnotherReuseTheirThreadsBlockBuffers() throws IOException {
        TableOptions bigBlocks = options.withBlockSize(4096);
        Path file = write(bigBlocks, TableFixtures.internalEntries(ENTRIES));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        try (TableReader reader = TableReader.open(storage, file, -1, bigBlocks, cache, 9)) {
            long allocated = 0;
            for (int round = 0; round < 2; round++) { // the first warms up (and walks every block)
                long before = threads.getThreadAllocatedBytes(self);
                for (int i = 0; i < 1_000; i++) {
                    try (InternalIterator iterator = reader.iterator(true)) {
                        iterator.seek(seekKey((i * 7) % ENTRIES));
                        iterator.next();
                    }
                }
                allocated = threads.getThreadAllocatedBytes(self) - before;
            }
            // An iterator and its block iterators weigh a few hundred bytes; a block buffer of its
            // own would be 4 KiB more per iterator.
            assertThat(allocated / 1_000).as("bytes per iterator").isLessThan(2_048);
        }
    }

    @Test
    void concurrentReadersOfAMappedTableSeeWhatWasWritten() throws Exception {
        NavigableMap<byte[], byte[]> entries = TableFixtures.internalEntries(ENTRIES);
        Path file = write(options, entries);
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("MappedBlocksTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (TableReader reader = TableReader.open(storage, file, -1, options, cache, 9)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Random random = new Random(seed + t);
                done.add(pool.submit(() -> {
                    try (InternalIterator iterator = reader.iterator()) {
                        Slice view = new Slice();
                        for (int op = 0; op < 2_000; op++) {
                            int i = random.nextInt(ENTRIES);
                            String where = "seed " + seed + ", thread-local op " + op + ", key " + i;
                            assertThat(reader.lookup(seekKey(i), true)).as(where).isEqualTo(b("value" + i));
                            iterator.seek(seekKey(i));
                            for (int step = 0; step < 20 && iterator.isValid(); step++, i++) {
                                assertThat(iterator.valueView(view).toByteArray()).as(where).isEqualTo(b("value" + i));
                                iterator.next();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.gets).hasValue(0);
        assertThat(cache.puts).hasValue(0);
    }

    @Test
    void compressedBlocksOfAMappedTableAreDecompressedOnceAndCached() throws IOException {
        TableOptions snappy = options.withCompression(Compression.SNAPPY);
        NavigableMap<byte[], byte[]> entries = TableFixtures.internalEntries(ENTRIES);
        Path file = write(snappy, entries);
        try (TableReader reader = TableReader.open(storage, file, -1, snappy, cache, 9)) {
            assertThat(TableFixtures.describe(TableFixtures.scan(reader.iterator())))
                    .isEqualTo(TableFixtures.describe(entries));
            long puts = cache.puts.get();
            assertThat(puts).isGreaterThan(10);
            TableFixtures.scan(reader.iterator());
            assertThat(cache.puts).hasValue(puts);
            assertThat(cache.mappedReads).hasValue(0);
        }
    }

    @Test
    void anIteratorWithoutFillCacheLeavesTheCacheOfAnUnmappedTableAlone() throws IOException {
        Path jimfs = TableFixtures.jimfsFile("000009.ldb");
        NavigableMap<byte[], byte[]> entries = TableFixtures.internalEntries(ENTRIES);
        TableFixtures.write(TableFixtures.storageOf(jimfs), jimfs, options, entries);
        try (TableReader reader = TableReader.open(TableFixtures.storageOf(jimfs), jimfs, -1, options, cache, 9)) {
            assertThat(reader.isMapped()).isFalse();
            assertThat(TableFixtures.describe(TableFixtures.scan(reader.iterator(true, false))))
                    .isEqualTo(TableFixtures.describe(entries));
            assertThat(cache.puts).hasValue(0);
            assertThat(cache.gets.get()).isGreaterThan(50);
            TableFixtures.scan(reader.iterator(true, true));
            long puts = cache.puts.get();
            assertThat(puts).isGreaterThan(50);
            long reads = reader.dataBlockReads();
            TableFixtures.scan(reader.iterator(true, false));
            assertThat(reader.dataBlockReads()).as("cached blocks are still used").isEqualTo(reads);
            assertThat(cache.puts).hasValue(puts);
        }
        assertThat(cache.mappedReads).hasValue(0);
    }

    @Test
    void aMappedTableOfHugeBlocksIsReadThroughGrownBuffers() throws IOException {
        NavigableMap<byte[], byte[]> internal = new java.util.TreeMap<>(options.comparator());
        for (int i = 0; i < 40; i++) {
            byte[] value = new byte[(i % 5) * 40_000 + 1];
            java.util.Arrays.fill(value, (byte) i);
            internal.put(InternalKey.encode(b(String.format("key%06d", i)), i + 1, ValueType.PUT), value);
        }
        Path file = write(options, internal);
        try (TableReader reader = TableReader.open(storage, file, -1, options, cache, 9)) {
            assertThat(TableFixtures.describe(TableFixtures.scan(reader.iterator())))
                    .isEqualTo(TableFixtures.describe(internal));
            for (int i = 39; i >= 0; i--) {
                assertThat(reader.lookup(seekKey(i), true)).isEqualTo(internal.get(
                        InternalKey.encode(b(String.format("key%06d", i)), i + 1, ValueType.PUT)));
            }
        }
        assertThat(cache.puts).hasValue(0);
    }
}
