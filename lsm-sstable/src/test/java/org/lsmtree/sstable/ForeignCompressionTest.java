package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.sstable.TableFixtures.b;

import io.airlift.compress.zstd.ZstdCompressor;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.iterator.InternalIterator;

/**
 * Tables whose data block is compressed as LevelDB's relatives do (zstd or zlib as type 2, raw
 * deflate as type 4), assembled by hand since we write none of them, read back entry for entry.
 */
class ForeignCompressionTest {
    private static final int ENTRIES = 300;

    @Test
    void aZstdBlockOfTypeTwoReads() throws IOException {
        byte[] contents = dataBlock();
        ZstdCompressor zstd = new ZstdCompressor();
        byte[] out = new byte[zstd.maxCompressedLength(contents.length)];
        int n = zstd.compress(contents, 0, contents.length, out, 0, out.length);
        assertThat(readAll(table(Arrays.copyOf(out, n), 2))).isEqualTo(expected());
    }

    @Test
    void aZlibBlockOfTypeTwoReads() throws IOException {
        assertThat(readAll(table(deflate(dataBlock(), false), 2))).isEqualTo(expected());
    }

    @Test
    void aRawDeflateBlockOfTypeFourReads() throws IOException {
        assertThat(readAll(table(deflate(dataBlock(), true), 4))).isEqualTo(expected());
    }

    /**
     * The configured block bound holds for every compression, not only Snappy: a zstd, zlib or
     * raw deflate block that decodes past {@link TableOptions#maxBlockSize()} is refused naming
     * the option (a reader bounded to limit its memory must not allocate what a frame declares
     * up to a fixed 64 MiB). Found in review of issue 11.
     */
    @Test
    void foreignBlocksLargerThanMaxBlockSizeAreRefusedNamingTheOption() throws IOException {
        byte[] contents = dataBlock();
        assertThat(contents.length).isGreaterThan(4096);
        ZstdCompressor zstd = new ZstdCompressor();
        byte[] out = new byte[zstd.maxCompressedLength(contents.length)];
        int n = zstd.compress(contents, 0, contents.length, out, 0, out.length);
        TableOptions bounded = TableFixtures.PLAIN.withMaxBlockSize(4096);
        for (Path file : List.of(table(Arrays.copyOf(out, n), 2), table(deflate(contents, false), 2),
                table(deflate(contents, true), 4))) {
            assertThat(Files.size(file)).isLessThan(4096); // stored small: only the decoded size is over
            assertThatThrownBy(() -> readAll(file, bounded)).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("maxBlockSize");
        }
    }

    @Test
    void typeTwoThatIsNeitherZstdNorZlibIsCorruptionAtTheBlock() throws IOException {
        Path file = table(new byte[] {1, 2, 3, 4, 5, 6}, 2);
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("offset 0").hasMessageContaining("neither a zstd frame nor a zlib stream");
    }

    @Test
    void aTruncatedZlibStreamIsCorruptionNotAnEndlessLoop() throws IOException {
        byte[] zlib = deflate(dataBlock(), false);
        Path file = table(Arrays.copyOf(zlib, zlib.length / 2), 2);
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("zlib");
    }

    @Test
    void anUnknownCompressionTypeNamesItsNumber() throws IOException {
        Path file = table(dataBlock(), 7);
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("unknown compression type 7");
    }

    private static byte[] dataBlock() {
        try (BlockBuilder block = new BlockBuilder(16)) {
            for (int i = 0; i < ENTRIES; i++) {
                block.add(b(String.format("key%05d", i)), b("value " + i + " compresses well well well"));
            }
            ByteBuf contents = block.finish();
            byte[] bytes = new byte[contents.readableBytes()];
            contents.getBytes(contents.readerIndex(), bytes);
            return bytes;
        }
    }

    private static List<String> expected() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            entries.add(String.format("key%05d", i) + "=value " + i + " compresses well well well");
        }
        return entries;
    }

    private static byte[] deflate(byte[] contents, boolean raw) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        deflater.setInput(contents);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A table of plain keys: the one data block as given, an index block, an empty metaindex, the footer. */
    private static Path table(byte[] stored, int type) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        BlockHandle data = append(file, stored, type);
        byte[] index;
        byte[] metaindex;
        try (BlockBuilder indexBlock = new BlockBuilder(1); BlockBuilder metaBlock = new BlockBuilder(1)) {
            indexBlock.add(b(String.format("key%05d", ENTRIES)), data.encode());
            index = bytes(indexBlock.finish());
            metaindex = bytes(metaBlock.finish());
        }
        BlockHandle metaHandle = append(file, metaindex, 0);
        BlockHandle indexHandle = append(file, index, 0);
        file.write(new Footer(metaHandle, indexHandle).encode());
        Path path = TableFixtures.jimfsFile("000007.ldb");
        Files.write(path, file.toByteArray());
        return path;
    }

    private static BlockHandle append(ByteArrayOutputStream file, byte[] stored, int type) {
        BlockHandle handle = new BlockHandle(file.size(), stored.length);
        file.writeBytes(stored);
        CRC32C crc = new CRC32C();
        crc.update(stored);
        crc.update(type);
        byte[] trailer = new byte[5];
        trailer[0] = (byte) type;
        LittleEndian.putFixed32(trailer, 1, Crc32c.mask((int) crc.getValue()));
        file.writeBytes(trailer);
        return handle;
    }

    private static byte[] bytes(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), bytes);
        return bytes;
    }

    private static List<String> readAll(Path file) throws IOException {
        return readAll(file, TableFixtures.PLAIN);
    }

    private static List<String> readAll(Path file, TableOptions options) throws IOException {
        List<String> entries = new ArrayList<>();
        try (TableReader table = TableReader.open(TableFixtures.storageOf(file), file, options);
                InternalIterator iterator = table.iterator(true)) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                entries.add(new String(iterator.key(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + new String(iterator.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
