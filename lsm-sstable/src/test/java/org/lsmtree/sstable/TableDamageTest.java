package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.Corruptor;
import org.lsmtree.testing.ForwardingStorage;

/** Damaged tables: located corruption, never a wrong entry, never a large allocation. */
class TableDamageTest {
    private static final TableOptions VERIFIED = TableFixtures.PLAIN.withBlockSize(512).withVerifyChecksums(true);

    private final NavigableMap<byte[], byte[]> entries = TableFixtures.randomEntries(new Random(4), 120, 30);
    private final Path file = TableFixtures.jimfsFile("000007.ldb");
    private final Storage storage = TableFixtures.storageOf(file);

    /** Block extents [offset, offset + size + trailer) of the table, read from a clean copy. */
    private List<long[]> blockExtents() throws IOException {
        List<long[]> extents = new ArrayList<>();
        try (TableReader reader = TableReader.open(storage, file, VERIFIED)) {
            BlockIterator index = reader.indexBlock().iterator(VERIFIED.comparator());
            for (index.seekToFirst(); index.isValid(); index.next()) {
                BlockHandle handle = TableReader.handleIn(reader.indexBlock(), index.value(), "index");
                extents.add(new long[] {handle.offset(), handle.end()});
            }
        }
        byte[] bytes = Corruptor.of(storage, file).content();
        Footer footer = Footer.decode(java.util.Arrays.copyOfRange(bytes, bytes.length - 48, bytes.length));
        for (BlockHandle meta : List.of(footer.metaindex(), footer.index())) {
            extents.add(new long[] {meta.offset(), meta.end()});
        }
        Block metaindex = new Block(java.util.Arrays.copyOfRange(bytes, (int) footer.metaindex().offset(),
                (int) (footer.metaindex().offset() + footer.metaindex().size())), null, 0, true);
        BlockIterator names = metaindex.iterator(java.util.Arrays::compareUnsigned);
        for (names.seekToFirst(); names.isValid(); names.next()) {
            BlockHandle meta = TableReader.handleIn(metaindex, names.value(), "meta");
            boolean properties = new String(names.key(), java.nio.charset.StandardCharsets.US_ASCII)
                    .equals(SstableFormat.PROPERTIES_META_KEY);
            extents.add(new long[] {meta.offset(), meta.end(), properties ? 1 : 0});
        }
        assertThat(extents.stream().mapToLong(extent -> extent[1] - extent[0]).sum()).isEqualTo(bytes.length - 48);
        return extents;
    }

    @Test
    void aBitFlippedAnywhereIsReportedAtItsBlockAndNeverReturnsAWrongEntry() throws IOException {
        long size = TableFixtures.write(storage, file, VERIFIED, entries);
        List<long[]> extents = blockExtents();
        byte[] clean = Corruptor.of(storage, file).content();
        List<String> expected = TableFixtures.describe(entries);
        Random random = new Random(1);
        int located = 0;
        for (long offset = 0; offset < size; offset++) {
            storage.delete(file);
            try (var out = storage.create(file)) {
                out.append(clean);
            }
            Corruptor.of(storage, file).flipBit(offset, random.nextInt(8));
            long blockStart = -1;
            boolean readByVerifierOnly = false;
            for (long[] extent : extents) {
                if (offset >= extent[0] && offset < extent[1]) {
                    blockStart = extent[0];
                    readByVerifierOnly = extent.length > 2 && extent[2] == 1;
                }
            }
            try (TableReader reader = TableReader.open(storage, file, VERIFIED);
                    InternalIterator iterator = reader.iterator()) {
                List<String> read = TableFixtures.describe(TableFixtures.scan(iterator));
                assertThat(read).as("flip at %d", offset).isEqualTo(expected);
                assertThat(blockStart >= 0 && !readByVerifierOnly).as("flip at %d inside a block went unnoticed", offset)
                        .isFalse();
            } catch (CorruptionException e) {
                assertThat(e.file()).isEqualTo(file.toString());
                if (blockStart >= 0 && !readByVerifierOnly) {
                    assertThat(e.offset()).as("flip at %d: %s", offset, e.getMessage()).isEqualTo(blockStart);
                    located++;
                }
            }
            VerificationReport report = new SstableVerifier(VERIFIED).verify(storage, file);
            if (blockStart >= 0) {
                long block = blockStart;
                assertThat(report.problems()).as("flip at %d: %s", offset, report)
                        .anySatisfy(problem -> assertThat(problem.offset()).isEqualTo(block));
            }
        }
        long propertiesBytes = extents.stream().filter(extent -> extent.length > 2 && extent[2] == 1)
                .mapToLong(extent -> extent[1] - extent[0]).sum();
        assertThat(located).isEqualTo((int) (size - 48 - propertiesBytes));
    }

    @Test
    void everyTruncationIsACorruptionOrCutsNothing() throws IOException {
        long size = TableFixtures.write(storage, file, VERIFIED, entries);
        byte[] clean = Corruptor.of(storage, file).content();
        for (long length = 0; length < size; length++) {
            storage.delete(file);
            try (var out = storage.create(file)) {
                out.append(clean, 0, (int) length);
            }
            assertThatThrownBy(() -> {
                try (TableReader reader = TableReader.open(storage, file, VERIFIED);
                        InternalIterator iterator = reader.iterator()) {
                    TableFixtures.scan(iterator);
                }
            }).as("truncated to %d", length).isInstanceOf(CorruptionException.class);
            assertThat(new SstableVerifier(VERIFIED).verify(storage, file).isClean()).isFalse();
        }
    }

    @Test
    void aBadMagicIsACorruptionAtTheFooter() throws IOException {
        long size = TableFixtures.write(storage, file, VERIFIED, entries);
        Corruptor.of(storage, file).setByte(size - 1, 0x00);
        assertThatThrownBy(() -> TableReader.open(storage, file, VERIFIED))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(size - 8);
                    assertThat(e.reason()).contains("magic");
                });
    }

    @Test
    void handlesPastTheEndOrAskingForGigabytesAreCorruptionsWithoutLargeReads() throws IOException {
        long size = TableFixtures.write(storage, file, VERIFIED, entries);
        for (long[] index : new long[][] {{0, size}, {size + 10, 100}, {0, 1L << 31}, {0, 1L << 40}, {1L << 62, 10}}) {
            byte[] footer = new Footer(new BlockHandle(0, 10), new BlockHandle(index[0], index[1])).encode();
            byte[] bytes = Corruptor.of(storage, file).content();
            System.arraycopy(footer, 0, bytes, bytes.length - 48, 48);
            storage.delete(file);
            try (var out = storage.create(file)) {
                out.append(bytes);
            }
            RecordingStorage recording = new RecordingStorage(storage);
            assertThatThrownBy(() -> TableReader.open(recording, file, VERIFIED))
                    .as("index handle %d+%d", index[0], index[1])
                    .isInstanceOf(CorruptionException.class);
            assertThat(recording.largestRead.get()).isLessThanOrEqualTo(48);
        }
    }

    @Test
    void anUnknownCompressionTypeIsACorruption() throws IOException {
        checkBlockWithTypeIsRejected(3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "unknown compression type 3");
    }

    @Test
    void aSnappyBlockDeclaringGigabytesIsACorruptionWithoutTheAllocation() throws IOException {
        ByteBuf preamble = Unpooled.buffer();
        org.lsmtree.format.Varint.writeVarint32(preamble, Integer.MAX_VALUE);
        byte[] contents = new byte[preamble.readableBytes() + 4];
        preamble.readBytes(contents, 0, preamble.readableBytes());
        preamble.release();
        checkBlockWithTypeIsRejected(1, contents, "impossible");
    }

    /** A table whose index block is {@code contents} stored with compression {@code type} and a valid checksum. */
    private void checkBlockWithTypeIsRejected(int type, byte[] contents, String reason) throws IOException {
        byte[] table = new byte[contents.length + 5 + 48];
        System.arraycopy(contents, 0, table, 0, contents.length);
        table[contents.length] = (byte) type;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(table, 0, contents.length + 1);
        LittleEndian.putFixed32(table, contents.length + 1, Crc32c.mask((int) crc.getValue()));
        BlockHandle handle = new BlockHandle(0, contents.length);
        System.arraycopy(new Footer(handle, handle).encode(), 0, table, contents.length + 5, 48);
        try (var out = storage.create(file)) {
            out.append(table);
        }
        assertThatThrownBy(() -> TableReader.open(storage, file, VERIFIED))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isZero();
                    assertThat(e.reason()).contains(reason);
                });
    }

    /** Passes everything to a storage and records the longest single read. */
    private static final class RecordingStorage extends ForwardingStorage {
        final AtomicLong largestRead = new AtomicLong();

        RecordingStorage(Storage delegate) {
            super(delegate);
        }

        @Override
        public RandomReadFile openRandomRead(Path path) throws IOException {
            RandomReadFile in = super.openRandomRead(path);
            return new RandomReadFile() {
                @Override
                public int read(long position, byte[] target, int offset, int length) throws IOException {
                    largestRead.accumulateAndGet(length, Math::max);
                    return in.read(position, target, offset, length);
                }

                @Override
                public long size() throws IOException {
                    return in.size();
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            };
        }
    }

}
