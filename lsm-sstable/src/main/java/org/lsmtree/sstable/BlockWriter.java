package org.lsmtree.sstable;

import io.airlift.compress.snappy.SnappyCompressor;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.zip.CRC32C;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.storage.WritableFile;

/**
 * Appends blocks to a table file: the contents (compressed when asked and worth it), then the
 * trailer (type byte, masked CRC32C of contents and type byte). As LevelDB does, a Snappy block
 * is kept only when it saves at least an eighth of the raw size; otherwise it is stored raw.
 *
 * <p>Tracks the file offset itself, starting at 0. Not thread-safe.
 */
final class BlockWriter {
    private final WritableFile file;
    private final SnappyCompressor snappy = new SnappyCompressor();
    private byte[] compressed = new byte[0];
    private long offset;
    private long snappyBlocks;

    BlockWriter(WritableFile file) {
        this.file = file;
    }

    /**
     * Writes the readable bytes of {@code contents} (indexes unchanged; the caller keeps ownership)
     * as one block and returns its handle.
     */
    BlockHandle write(ByteBuf contents, Compression compression) throws IOException {
        int rawLength = contents.readableBytes();
        if (compression == Compression.SNAPPY) {
            byte[] raw = new byte[rawLength];
            contents.getBytes(contents.readerIndex(), raw);
            int max = snappy.maxCompressedLength(rawLength);
            if (compressed.length < max) {
                compressed = new byte[max];
            }
            int length = snappy.compress(raw, 0, rawLength, compressed, 0, max);
            if (length < rawLength - rawLength / 8) {
                snappyBlocks++;
                return writeRaw(compressed, length, Compression.SNAPPY);
            }
        }
        BlockHandle handle = new BlockHandle(offset, rawLength);
        file.append(contents);
        CRC32C crc = new CRC32C();
        crc.update(contents.nioBuffer());
        writeTrailer(crc, Compression.NONE);
        offset += rawLength + SstableFormat.TRAILER_SIZE;
        return handle;
    }

    private BlockHandle writeRaw(byte[] contents, int length, Compression type) throws IOException {
        BlockHandle handle = new BlockHandle(offset, length);
        file.append(contents, 0, length);
        CRC32C crc = new CRC32C();
        crc.update(contents, 0, length);
        writeTrailer(crc, type);
        offset += length + SstableFormat.TRAILER_SIZE;
        return handle;
    }

    private void writeTrailer(CRC32C crc, Compression type) throws IOException {
        crc.update(type.code());
        int masked = Crc32c.mask((int) crc.getValue());
        byte[] trailer = {(byte) type.code(), (byte) masked, (byte) (masked >>> 8), (byte) (masked >>> 16),
            (byte) (masked >>> 24)};
        file.append(trailer);
    }

    /** Appends bytes that are not a block (the footer). */
    void writeFooter(byte[] footer) throws IOException {
        file.append(footer);
        offset += footer.length;
    }

    /** Bytes written so far: the offset of the next block. */
    long offset() {
        return offset;
    }

    long snappyBlocks() {
        return snappyBlocks;
    }
}
