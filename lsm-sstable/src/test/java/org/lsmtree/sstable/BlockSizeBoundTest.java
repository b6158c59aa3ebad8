package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.sstable.TableFixtures.b;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.ForwardingStorage;

/**
 * Issue 11, point 9: every block read is bounded. A handle past the end of the file, a block
 * larger than {@link TableOptions#maxBlockSize()} or a Snappy block declaring more uncompressed
 * bytes than that is a {@link CorruptionException} naming the option, before anything is allocated.
 */
class BlockSizeBoundTest {
    private static final long GIB = 1L << 30;

    private final Path file = TableFixtures.jimfsFile("000011.ldb");
    private final Storage storage = TableFixtures.storageOf(file);

    /**
     * A sparse table of {@code size} bytes: {@code tail} (its last blocks and footer) at the end,
     * zeros before, as a file system shows a file written only at its end. Records the longest read.
     */
    private static final class SparseStorage extends ForwardingStorage {
        final AtomicLong largestRead = new AtomicLong();
        private final long size;
        private final byte[] tail;

        SparseStorage(Storage delegate, long size, byte[] tail) {
            super(delegate);
            this.size = size;
            this.tail = tail;
        }

        @Override
        public RandomReadFile openRandomRead(Path path) {
            long tailStart = size - tail.length;
            return new RandomReadFile() {
                @Override
                public int read(long position, byte[] target, int offset, int length) {
                    largestRead.accumulateAndGet(length, Math::max);
                    int count = (int) Math.min(length, size - position);
                    for (int i = 0; i < count; i++) {
                        long at = position + i;
                        target[offset + i] = at >= tailStart ? tail[(int) (at - tailStart)] : 0;
                    }
                    return count;
                }

                @Override
                public long size() {
                    return size;
                }

                @Override
                public void close() {}
            };
        }
    }

    /**
     * The end of a sparse table of {@code size} bytes: an empty metaindex, an index block whose
     * one entry (key "z") points at {@code dataBlock}, and the footer; {@code footerIndex}, when
     * not null, replaces the footer's index handle.
     */
    private static byte[] tail(long size, BlockHandle dataBlock, BlockHandle footerIndex) throws IOException {
        byte[] metaindex = TableSurgery.block(List.of(), 1);
        byte[] index = TableSurgery.block(List.<byte[][]>of(new byte[][] {b("z"), dataBlock.encode()}), 1);
        int length = metaindex.length + index.length + 2 * SstableFormat.TRAILER_SIZE + SstableFormat.FOOTER_SIZE;
        long start = size - length;
        BlockHandle metaindexHandle = new BlockHandle(start, metaindex.length);
        BlockHandle indexHandle = new BlockHandle(metaindexHandle.end(), index.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(TableSurgery.stored(metaindex));
        out.write(TableSurgery.stored(index));
        out.write(new Footer(metaindexHandle, footerIndex == null ? indexHandle : footerIndex).encode());
        return out.toByteArray();
    }

    private static void assertRefusedNamingTheOption(CorruptionException e, long offset) {
        assertThat(e.offset()).isEqualTo(offset);
        assertThat(e.reason()).contains("TableOptions.maxBlockSize").contains(String.valueOf(TableOptions.DEFAULT_MAX_BLOCK_SIZE));
    }

    @Test
    void aSparseTableWhoseIndexEntryClaimsAGibibyteIsRefusedWithoutTheAllocation() throws IOException {
        long size = 3 * GIB / 2;
        SparseStorage sparse = new SparseStorage(storage, size, tail(size, new BlockHandle(0, GIB), null));
        try (TableReader reader = TableReader.open(sparse, file, TableFixtures.PLAIN)) {
            assertThatThrownBy(() -> reader.get(b("a")))
                    .isInstanceOfSatisfying(CorruptionException.class, e -> assertRefusedNamingTheOption(e, 0));
            try (InternalIterator iterator = reader.iterator()) {
                assertThatThrownBy(iterator::seekToFirst)
                        .isInstanceOfSatisfying(CorruptionException.class, e -> assertRefusedNamingTheOption(e, 0));
            }
        }
        assertThat(new SstableVerifier(TableFixtures.PLAIN).verify(sparse, file).problems())
                .anySatisfy(problem -> assertThat(problem.message()).contains("TableOptions.maxBlockSize"));
        assertThat(sparse.largestRead.get()).isLessThanOrEqualTo(SstableFormat.FOOTER_SIZE);
    }

    @Test
    void aSparseTableWhoseFooterClaimsAGibibyteIndexIsRefusedAtOpenWithoutTheAllocation() throws IOException {
        long size = 3 * GIB;
        SparseStorage sparse = new SparseStorage(storage, size,
                tail(size, new BlockHandle(0, 10), new BlockHandle(GIB, GIB)));
        assertThatThrownBy(() -> TableReader.open(sparse, file, TableFixtures.PLAIN))
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertRefusedNamingTheOption(e, GIB));
        assertThat(sparse.largestRead.get()).isLessThanOrEqualTo(SstableFormat.FOOTER_SIZE);
    }

    @Test
    void aHandlePastTheEndOfTheFileIsACorruption() throws IOException {
        long size = 64 * 1024;
        SparseStorage sparse = new SparseStorage(storage, size, tail(size, new BlockHandle(size - 100, 1000), null));
        assertThatThrownBy(() -> TableReader.open(sparse, file, TableFixtures.PLAIN))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.reason()).contains("block@" + (size - 100) + "+1000 reaches past"));
    }

    private NavigableMap<byte[], byte[]> compressibleEntries() {
        NavigableMap<byte[], byte[]> entries = TableFixtures.sortedMap();
        for (int i = 0; i < 40; i++) {
            byte[] value = new byte[500];
            Arrays.fill(value, (byte) 'a');
            entries.put(b(String.format("key%03d", i)), value);
        }
        return entries;
    }

    @Test
    void aBlockLargerThanTheConfiguredMaximumIsRefusedNamingTheOption() throws IOException {
        TableFixtures.write(storage, file, TableFixtures.PLAIN, compressibleEntries());
        TableOptions small = TableFixtures.PLAIN.withMaxBlockSize(2000);
        try (TableReader reader = TableReader.open(storage, file, small)) {
            assertThatThrownBy(() -> reader.get(b("key001"))).isInstanceOfSatisfying(CorruptionException.class, e -> {
                assertThat(e.offset()).isZero();
                assertThat(e.reason()).contains("stored bytes").contains("TableOptions.maxBlockSize, 2000 bytes");
            });
        }
        try (TableReader reader = TableReader.open(storage, file, TableFixtures.PLAIN)) {
            assertThat(reader.get(b("key001")).key()).isEqualTo(b("key001"));
        }
    }

    @Test
    void aSnappyBlockDecompressingPastTheMaximumIsRefusedNamingTheOption() throws IOException {
        TableOptions snappy = TableFixtures.PLAIN.withCompression(Compression.SNAPPY);
        TableFixtures.write(storage, file, snappy, compressibleEntries());
        TableLayout.BlockInfo first = TableLayout.read(storage, file).dataBlocks().get(0);
        assertThat(first.compressionName()).isEqualTo("snappy");
        assertThat(first.size()).isLessThan(2000);
        try (TableReader reader = TableReader.open(storage, file, snappy.withMaxBlockSize(2000))) {
            assertThatThrownBy(() -> reader.get(b("key001"))).isInstanceOfSatisfying(CorruptionException.class, e -> {
                assertThat(e.offset()).isZero();
                assertThat(e.reason()).contains("uncompressed bytes").contains("TableOptions.maxBlockSize, 2000 bytes");
            });
        }
    }

    @Test
    void theDefaultBoundIsSixtyFourMebibytes() {
        assertThat(TableOptions.defaults().maxBlockSize()).isEqualTo(64 << 20).isEqualTo(TableOptions.DEFAULT_MAX_BLOCK_SIZE);
        assertThatThrownBy(() -> TableOptions.defaults().withMaxBlockSize(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
