package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.snappy.SnappyCompressor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.storage.ByteArrayRandomReadFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.HostileInputs;
import org.lsmtree.testing.TortureReport;

/**
 * Hostile input to every decoder of a table, each fed random and mutated inputs on its own (a
 * block checksum would otherwise stop most of them before the decoder): blocks and their restart
 * arrays (as data blocks of internal keys, checked as a reader loads them), the footer, block
 * handles, the index block (its keys and handles checked as a reader opening the table does),
 * the metaindex, the filter block, Snappy-compressed block contents, and the properties block;
 * and whole tables, their block checksums recomputed after the damage, opened, scanned both ways
 * and looked up.
 * Only {@link CorruptionException} may come out. Crafted cases: restart counts larger than the
 * block, entry and Snappy lengths of 2^31 and 2^32 - 1, handles of 2^63 and past the end of the
 * file, a bloom filter with k = 255; those that claim memory must be refused before allocating it.
 * Runs in the 64 MiB JVM of the {@code hostile-inputs} surefire execution.
 */
class TableHostileInputTest {
    private static final TortureReport REPORT = new TortureReport("hostile inputs (lsm-sstable)");
    private static final TableOptions INTERNAL = TableOptions.defaults();
    /** What refusing a small crafted input may allocate: copies of it and a few objects, never its claims. */
    private static final long SMALL = 64 << 10;

    /** Block contents of each kind, from tables our builder wrote. */
    private static final List<byte[]> DATA = new ArrayList<>();
    private static final List<byte[]> INDEX = new ArrayList<>();
    private static final List<byte[]> METAINDEX = new ArrayList<>();
    private static final List<byte[]> FILTER = new ArrayList<>();
    private static final List<byte[]> PROPERTIES = new ArrayList<>();
    private static final List<byte[]> FOOTERS = new ArrayList<>();
    private static final List<byte[]> SNAPPY = new ArrayList<>();
    /** Whole tables (one Snappy-compressed), and each one's blocks as {offset, size without trailer} by length. */
    private static final List<byte[]> TABLES = new ArrayList<>();
    private static final java.util.Map<Integer, List<long[]>> BLOCKS_BY_LENGTH = new java.util.HashMap<>();

    @BeforeAll
    static void writeTables() throws IOException {
        Random random = new Random(3);
        int[][] shapes = {{40, 1}, {400, 16}, {2000, 4}};
        for (int[] shape : shapes) {
            Path file = TableFixtures.jimfsFile("t.ldb");
            Storage storage = TableFixtures.storageOf(file);
            TableFixtures.write(storage, file, INTERNAL.withBlockSize(512).withRestartInterval(shape[1]),
                    TableFixtures.internalEntries(shape[0]));
            byte[] table = TableSurgery.read(storage, file);
            TableLayout layout = TableLayout.read(storage, file);
            layout.dataBlocks().stream().limit(8).forEach(block -> DATA.add(contents(table, block)));
            INDEX.add(contents(table, layout.index()));
            METAINDEX.add(contents(table, layout.metaindex()));
            for (TableLayout.BlockInfo meta : layout.metaBlocks()) {
                (meta.kind().equals("filter") ? FILTER : meta.kind().equals("properties") ? PROPERTIES : DATA)
                        .add(contents(table, meta));
            }
            FOOTERS.add(Arrays.copyOfRange(table, table.length - SstableFormat.FOOTER_SIZE, table.length));
            addTable(table, layout);
        }
        Path snappyTable = TableFixtures.jimfsFile("s.ldb");
        Storage compressedStorage = TableFixtures.storageOf(snappyTable);
        TableFixtures.write(compressedStorage, snappyTable, INTERNAL.withBlockSize(1024).withCompression(Compression.SNAPPY),
                TableFixtures.internalEntries(300));
        addTable(TableSurgery.read(compressedStorage, snappyTable), TableLayout.read(compressedStorage, snappyTable));
        SnappyCompressor snappy = new SnappyCompressor();
        for (byte[] contents : DATA.subList(0, 6)) {
            byte[] compressed = new byte[snappy.maxCompressedLength(contents.length)];
            int size = snappy.compress(contents, 0, contents.length, compressed, 0, compressed.length);
            SNAPPY.add(Arrays.copyOf(compressed, size));
        }
        byte[] repetitive = new byte[4000];
        Arrays.fill(repetitive, (byte) 'x');
        random.nextBytes(Arrays.copyOf(repetitive, 10));
        byte[] compressed = new byte[snappy.maxCompressedLength(repetitive.length)];
        SNAPPY.add(Arrays.copyOf(compressed, snappy.compress(repetitive, 0, repetitive.length, compressed, 0,
                compressed.length)));
        assertThat(FILTER).isNotEmpty();
        assertThat(PROPERTIES).isNotEmpty();
    }

    @AfterAll
    static void printFigures() {
        System.out.print(REPORT.render());
    }

    private static void addTable(byte[] table, TableLayout layout) {
        List<long[]> blocks = new ArrayList<>();
        List<TableLayout.BlockInfo> all = new ArrayList<>(layout.dataBlocks());
        all.addAll(layout.metaBlocks());
        all.add(layout.metaindex());
        all.add(layout.index());
        all.forEach(block -> blocks.add(new long[] {block.offset(), block.size()}));
        TABLES.add(table);
        BLOCKS_BY_LENGTH.put(table.length, blocks);
    }

    private static byte[] contents(byte[] table, TableLayout.BlockInfo block) {
        assertThat(block.compression()).isEqualTo(SstableFormat.COMPRESSION_NONE);
        return Arrays.copyOfRange(table, (int) block.offset(), (int) (block.offset() + block.size()));
    }

    // ---------------------------------------------------------------------------------------------
    // Random and mutated inputs, decoder by decoder

    @Test
    void blocksAndTheirRestartsDecodeOrAreCorruption() {
        HostileInputs.run("block and restarts", DATA, CorruptionException.class, TableHostileInputTest::readBlock,
                REPORT);
    }

    @Test
    void footersDecodeOrAreCorruption() {
        HostileInputs.run("footer", FOOTERS, CorruptionException.class, Footer::decode, REPORT);
    }

    @Test
    void blockHandlesDecodeOrAreCorruption() {
        List<byte[]> handles = new ArrayList<>();
        for (long value : new long[] {0, 1, 127, 128, 4096, 1L << 31, 1L << 40, Long.MAX_VALUE}) {
            handles.add(new BlockHandle(value, 17).encode());
            handles.add(new BlockHandle(3, value).encode());
        }
        HostileInputs.run("block handle", handles, CorruptionException.class, BlockHandle::decode, REPORT);
    }

    @Test
    void indexBlocksDecodeOrAreCorruption() {
        HostileInputs.run("index block", INDEX, CorruptionException.class, input -> {
            Block index = new Block(input, "hostile.ldb", 1000, true);
            IndexCheck.checkAll(INTERNAL, index, 900, null, TableProblems.throwing("hostile.ldb"));
            walkBothWays(index, INTERNAL);
        }, REPORT);
    }

    @Test
    void metaindexBlocksDecodeOrAreCorruption() {
        HostileInputs.run("metaindex block", METAINDEX, CorruptionException.class, input -> {
            Block metaindex = new Block(input, "hostile.ldb", 1000, true);
            BlockIterator entries = metaindex.iterator(Arrays::compareUnsigned);
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                TableReader.handleIn(metaindex, entries.value(), "metaindex entry");
            }
        }, REPORT);
    }

    @Test
    void filterBlocksAnswerOrAreCorruption() {
        byte[][] probes = {TableFixtures.b("key000001"), TableFixtures.b("key000400"), new byte[0], new byte[300]};
        HostileInputs.run("filter block", FILTER, CorruptionException.class, input -> {
            FilterBlockReader filter = new FilterBlockReader(input, 1000);
            for (long offset : new long[] {0, 2047, 2048, 1L << 20, 1L << 40, Long.MAX_VALUE}) {
                for (byte[] probe : probes) {
                    filter.mayContain(offset, probe);
                }
                filter.isEmptyFor(offset);
            }
            filter.checkFilters(TableProblems.throwing("hostile.ldb"));
        }, REPORT);
    }

    @Test
    void snappyContentsDecompressOrAreCorruption() {
        HostileInputs.run("Snappy", SNAPPY, CorruptionException.class, TableHostileInputTest::readSnappy, REPORT);
    }

    @Test
    void propertiesBlocksDecodeOrAreCorruption() {
        HostileInputs.run("properties block", PROPERTIES, CorruptionException.class,
                input -> TableProperties.readFrom(new Block(input, "hostile.ldb", 1000, true)), REPORT);
    }

    @Test
    void wholeTablesWithTheirChecksumsRecomputedOpenAndReadOrAreCorruption() throws IOException {
        Path file = TableFixtures.jimfsFile("hostile.ldb");
        Storage storage = TableFixtures.storageOf(file);
        HostileInputs.run("whole table", TABLES, CorruptionException.class, input -> {
            TableSurgery.write(storage, file, withChecksumsRecomputed(input));
            try (TableReader reader = TableReader.open(storage, file, INTERNAL)) {
                TableFixtures.scan(reader.iterator());
                TableFixtures.scanBackward(reader.iterator());
                reader.get(TableFixtures.internalEntries(1).firstKey());
                reader.properties();
            }
        }, REPORT);
    }

    /**
     * {@code table} with the trailer checksum of every block of the table of its length (when a
     * corpus table has that length) recomputed, so that the damage reaches the decoders behind it.
     */
    private static byte[] withChecksumsRecomputed(byte[] table) {
        byte[] fixed = table.clone();
        for (long[] block : BLOCKS_BY_LENGTH.getOrDefault(table.length, List.of())) {
            int end = (int) (block[0] + block[1]);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(fixed, (int) block[0], (int) block[1] + 1);
            LittleEndian.putFixed32(fixed, end + 1, org.lsmtree.format.Crc32c.mask((int) crc.getValue()));
        }
        return fixed;
    }

    /** Parses a block, checks it as a reader loads a data block, then walks and seeks it. */
    private static void readBlock(byte[] input) throws CorruptionException {
        Block block = new Block(input, "hostile.ldb", 1000, true);
        DataBlockCheck.check(block, INTERNAL, null, null, "hostile.ldb");
        walkBothWays(block, INTERNAL);
        BlockIterator plain = block.iterator(Arrays::compareUnsigned);
        plain.seek(TableFixtures.b("key000100"));
    }

    private static void walkBothWays(Block block, TableOptions options) throws CorruptionException {
        BlockIterator forward = block.iterator(options.comparator());
        int entries = 0;
        for (forward.seekToFirst(); forward.isValid(); forward.next()) {
            entries++;
        }
        BlockIterator backward = block.iterator(options.comparator());
        int back = 0;
        for (backward.seekToLast(); backward.isValid(); backward.prev()) {
            back++;
        }
        assertThat(back).as("entries walked backward").isEqualTo(entries);
    }

    /** Reads {@code compressed} as the contents of a Snappy block at offset 0 of a file. */
    private static byte[] readSnappy(byte[] compressed) throws IOException {
        byte[] file = HostileInputs.concat(compressed, new byte[] {(byte) SstableFormat.COMPRESSION_SNAPPY, 0, 0, 0, 0},
                new byte[SstableFormat.FOOTER_SIZE]);
        BlockReader reader = new BlockReader(new ByteArrayRandomReadFile(file), "hostile.ldb",
                compressed.length + SstableFormat.TRAILER_SIZE, INTERNAL.maxBlockSize());
        return reader.readContents(new BlockHandle(0, compressed.length), false, "data block");
    }

    // ---------------------------------------------------------------------------------------------
    // Crafted inputs

    @Test
    void restartCountsLargerThanTheBlockAreRefusedBeforeAllocating() {
        for (long count : new long[] {1L << 31, 0xffff_ffffL, (1L << 31) - 1, 3, 2}) {
            byte[] block = new byte[12]; // room for 2 restarts at most
            LittleEndian.putFixed32(block, 8, (int) count);
            HostileInputs.assertRejected("restart count " + count, block, CorruptionException.class, SMALL,
                    input -> new Block(input, "hostile.ldb", 0, true));
        }
    }

    @Test
    void restartOffsetsPastTheEntriesAreCorruption() {
        byte[] block = new byte[12];
        LittleEndian.putFixed32(block, 4, 0x7fff_ffff); // restart 0 far past the block
        LittleEndian.putFixed32(block, 8, 1);
        HostileInputs.assertRejected("restart offset 2^31 - 1", block, CorruptionException.class, SMALL,
                input -> new Block(input, "hostile.ldb", 0, true));
    }

    @Test
    void aRestartThatIsNotTheStartOfAnEntryIsCorruption() throws CorruptionException {
        List<byte[][]> entries = new ArrayList<>();
        TableFixtures.internalEntries(3).forEach((key, value) -> entries.add(new byte[][] {key, value}));
        byte[] good = TableSurgery.block(entries, 1); // restarts at each of the 3 entries
        readBlock(good);
        Block parsed = new Block(good, "hostile.ldb", 0, true);
        int restartArray = parsed.restartOffset();
        byte[] pastTheEntries = good.clone(); // the last restart at the end of the entries: seekToLast finds nothing
        LittleEndian.putFixed32(pastTheEntries, restartArray + 8, restartArray);
        byte[] insideAnEntry = good.clone(); // the second restart one byte into the second entry
        LittleEndian.putFixed32(insideAnEntry, restartArray + 4, parsed.restart(1) + 1);
        for (byte[] block : new byte[][] {pastTheEntries, insideAnEntry}) {
            CorruptionException e = HostileInputs.assertRejected("misaligned restart", block, CorruptionException.class,
                    SMALL, TableHostileInputTest::readBlock);
            assertThat(e.reason()).containsAnyOf("is not the start of an entry", "entry at byte");
        }
    }

    @Test
    void entryLengthsOfTwoToThe31And32AreRefusedBeforeAllocating() {
        for (long length : new long[] {1L << 31, 0xffff_ffffL, 1L << 28}) {
            for (int field = 0; field < 3; field++) { // shared, unshared, value length
                long[] fields = {0, 1, 1};
                fields[field] = length;
                byte[] entry = HostileInputs.concat(HostileInputs.varint(fields[0]), HostileInputs.varint(fields[1]),
                        HostileInputs.varint(fields[2]), new byte[] {'k', 'v'});
                byte[] block = HostileInputs.concat(entry, new byte[4], new byte[] {1, 0, 0, 0}); // restart 0, count 1
                HostileInputs.assertRejected("entry field " + field + " = " + length, block, CorruptionException.class,
                        SMALL, TableHostileInputTest::readBlock);
            }
        }
    }

    @Test
    void snappyLengthsOfTwoToThe31And32AreRefusedBeforeAllocating() {
        for (long length : new long[] {1L << 31, 0xffff_ffffL, 60 << 20}) {
            byte[] compressed = HostileInputs.concat(HostileInputs.varint(length), new byte[] {0, 'a'});
            CorruptionException e = HostileInputs.assertRejected("Snappy length " + length, compressed,
                    CorruptionException.class, SMALL, TableHostileInputTest::readSnappy);
            assertThat(e.file()).isEqualTo("hostile.ldb");
            assertThat(e.offset()).isZero();
        }
    }

    @Test
    void handlesOfTwoToThe63AndPastTheEndOfTheFileAreRefused() throws IOException {
        byte[] negative = HostileInputs.concat(HostileInputs.varint(1L << 63), HostileInputs.varint(1));
        HostileInputs.assertRejected("handle offset 2^63", negative, CorruptionException.class, SMALL,
                BlockHandle::decode);
        byte[] tooLong = HostileInputs.concat(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, new byte[] {1});
        HostileInputs.assertRejected("an 11-byte varint", tooLong, CorruptionException.class, SMALL,
                BlockHandle::decode);
        byte[] file = new byte[100 + SstableFormat.FOOTER_SIZE];
        for (BlockHandle handle : new BlockHandle[] {new BlockHandle(90, 20), new BlockHandle(0, 1L << 31),
                new BlockHandle(Long.MAX_VALUE - 3, 2), new BlockHandle(1L << 31, 1L << 31)}) {
            BlockReader reader = new BlockReader(new ByteArrayRandomReadFile(file), "hostile.ldb", 100,
                    INTERNAL.maxBlockSize());
            CorruptionException e = HostileInputs.assertRejected("handle " + handle, handle.encode(),
                    CorruptionException.class, SMALL, input -> reader.read(BlockHandle.decode(input), true, "index block"));
            assertThat(e.file()).isEqualTo("hostile.ldb");
            assertThat(e.offset()).isEqualTo(handle.offset());
        }
    }

    @Test
    void aFooterWhoseHandlesReachPastTheFileIsRefusedAtOpen() throws IOException {
        byte[] footer = new Footer(new BlockHandle(1L << 40, 10), new BlockHandle(0, 1L << 31)).encode();
        byte[] table = HostileInputs.concat(new byte[64], footer);
        Path file = TableFixtures.jimfsFile("past.ldb");
        Storage storage = TableFixtures.storageOf(file);
        TableSurgery.write(storage, file, table);
        long before = HostileInputs.allocatedBytes();
        Throwable thrown = HostileInputs.outcome(input -> TableReader.open(storage, file, INTERNAL).close(), table);
        assertThat(HostileInputs.allocatedBytes() - before).isLessThan(1 << 20);
        assertThat(thrown).isInstanceOf(CorruptionException.class).hasMessageContaining("/past.ldb");
    }

    @Test
    void aBloomFilterWithKOf255MatchesEverythingAndIsNoError() throws CorruptionException {
        byte[] bits = new byte[16];
        byte[] offsets = new byte[8]; // filter 0 starts at 0; the offset array starts at 17
        LittleEndian.putFixed32(offsets, 4, 17);
        byte[] filterBlock = HostileInputs.concat(bits, new byte[] {(byte) 255}, offsets, new byte[] {11});
        FilterBlockReader filter = new FilterBlockReader(filterBlock, 0);
        assertThat(filter.isWellFormed()).isTrue();
        assertThat(filter.mayContain(0, TableFixtures.b("anything"))).isTrue();
        assertThat(BloomFilter.mayContain(HostileInputs.concat(bits, new byte[] {(byte) 255}), 0, 17,
                TableFixtures.b("x"))).isTrue();
        filter.checkFilters(TableProblems.throwing("hostile.ldb")); // reserved, not damage: no problem
    }

    @Test
    void aPropertyNumberOfTwoToThe63IsCorruption() {
        byte[] block;
        try (BlockBuilder builder = new BlockBuilder(1)) {
            builder.add(TableFixtures.b(TableProperties.ENTRIES_KEY), HostileInputs.varint(1L << 63));
            io.netty.buffer.ByteBuf contents = builder.finish();
            block = new byte[contents.readableBytes()];
            contents.getBytes(contents.readerIndex(), block);
        }
        HostileInputs.assertRejected("property 2^63", block, CorruptionException.class, SMALL,
                input -> TableProperties.readFrom(new Block(input, "hostile.ldb", 0, true)));
    }
}
