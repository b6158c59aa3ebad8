package org.lsmtree.sstable;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.Corruptor;

/**
 * Edits a table's bytes while keeping every checksum valid, or writes a table block by block past
 * the builder's checks: damage that only a reader's own checks can see.
 */
final class TableSurgery {
    private TableSurgery() {}

    static byte[] read(Storage storage, Path file) throws IOException {
        return Corruptor.of(storage, file).content();
    }

    static void write(Storage storage, Path file, byte[] bytes) throws IOException {
        if (storage.exists(file)) {
            storage.delete(file);
        }
        try (var out = storage.create(file)) {
            out.append(bytes);
        }
    }

    /** {@code contents} followed by a trailer of type 0 (none) and its masked checksum. */
    static byte[] stored(byte[] contents) {
        byte[] block = Arrays.copyOf(contents, contents.length + SstableFormat.TRAILER_SIZE);
        block[contents.length] = (byte) SstableFormat.COMPRESSION_NONE;
        CRC32C crc = new CRC32C();
        crc.update(block, 0, contents.length + 1);
        LittleEndian.putFixed32(block, contents.length + 1, Crc32c.mask((int) crc.getValue()));
        return block;
    }

    /** Overwrites the uncompressed block at {@code offset} with {@code contents} of its size, checksum fixed. */
    static void rewrite(byte[] table, long offset, byte[] contents) {
        byte[] block = stored(contents);
        System.arraycopy(block, 0, table, (int) offset, block.length);
    }

    /** Swaps the stored blocks (trailers included) at {@code a} and {@code b}, both of {@code size} bytes. */
    static void swap(byte[] table, long a, long b, long size) {
        int length = (int) size + SstableFormat.TRAILER_SIZE;
        byte[] first = Arrays.copyOfRange(table, (int) a, (int) a + length);
        System.arraycopy(table, (int) b, table, (int) a, length);
        System.arraycopy(first, 0, table, (int) b, length);
    }

    /**
     * Swaps the first two neighbouring data blocks of equal size after block 0 in the table at
     * {@code file} (checksums stay valid) and returns the first one's position in the index.
     */
    static int swapEqualNeighbours(Storage storage, Path file) throws IOException {
        List<TableLayout.BlockInfo> blocks = TableLayout.read(storage, file).dataBlocks();
        for (int i = 1; i + 1 < blocks.size(); i++) {
            if (blocks.get(i).size() == blocks.get(i + 1).size()) {
                byte[] table = read(storage, file);
                swap(table, blocks.get(i).offset(), blocks.get(i + 1).offset(), blocks.get(i).size());
                write(storage, file, table);
                return i;
            }
        }
        throw new AssertionError("no two neighbouring data blocks of equal size in " + blocks);
    }

    /** The contents of a block of {@code entries} (key, value pairs) in the order given. */
    static byte[] block(List<byte[][]> entries, int restartInterval) {
        try (BlockBuilder builder = new BlockBuilder(restartInterval)) {
            for (byte[][] entry : entries) {
                builder.add(entry[0], entry[1]);
            }
            ByteBuf contents = builder.finish();
            byte[] bytes = new byte[contents.readableBytes()];
            contents.getBytes(contents.readerIndex(), bytes);
            return bytes;
        }
    }

    /** The footer of a whole table. */
    static Footer footer(byte[] table) throws IOException {
        return Footer.decode(Arrays.copyOfRange(table, table.length - SstableFormat.FOOTER_SIZE, table.length));
    }

    /**
     * {@code table} with its index block replaced by one mapping {@code keys} to {@code handles},
     * written where the old index block began, followed by a new footer.
     */
    static byte[] withIndex(byte[] table, List<byte[]> keys, List<BlockHandle> handles) throws IOException {
        Footer footer = footer(table);
        byte[] index = block(indexEntries(keys, handles), 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(table, 0, (int) footer.index().offset());
        out.write(stored(index));
        out.write(new Footer(footer.metaindex(), new BlockHandle(footer.index().offset(), index.length)).encode());
        return out.toByteArray();
    }

    /**
     * A table of uncompressed data blocks, each holding its entries in the order given (no order
     * checked), with the index keys given, an empty metaindex and no filter.
     */
    static byte[] table(List<List<byte[][]>> blocks, List<byte[]> indexKeys, int restartInterval) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<BlockHandle> handles = new java.util.ArrayList<>();
        for (List<byte[][]> entries : blocks) {
            byte[] contents = block(entries, restartInterval);
            handles.add(new BlockHandle(out.size(), contents.length));
            out.write(stored(contents));
        }
        byte[] metaindex = block(List.of(), 1);
        BlockHandle metaindexHandle = new BlockHandle(out.size(), metaindex.length);
        out.write(stored(metaindex));
        byte[] index = block(indexEntries(indexKeys, handles), 1);
        BlockHandle indexHandle = new BlockHandle(out.size(), index.length);
        out.write(stored(index));
        out.write(new Footer(metaindexHandle, indexHandle).encode());
        return out.toByteArray();
    }

    private static List<byte[][]> indexEntries(List<byte[]> keys, List<BlockHandle> handles) {
        List<byte[][]> entries = new java.util.ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            entries.add(new byte[][] {keys.get(i), handles.get(i).encode()});
        }
        return entries;
    }
}
