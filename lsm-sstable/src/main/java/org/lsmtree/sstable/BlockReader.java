package org.lsmtree.sstable;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.IOException;
import java.util.zip.CRC32C;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.storage.RandomReadFile;

/**
 * Reads blocks of one table file: checks the handle against the file's size before allocating
 * anything, reads contents and trailer, checks the checksum when asked, and decompresses.
 *
 * <p>Every damage is a {@link CorruptionException} naming the file and the block's offset: a
 * handle past the end of the data, a block larger than {@link TableOptions#maxBlockSize()}, a
 * short read, a checksum mismatch, an unknown compression type, Snappy data that does not decode
 * (its declared length is checked against the most that Snappy can expand the stored bytes to,
 * and against the largest block, so a damaged preamble cannot ask for gigabytes). Nothing is
 * allocated from a length read from the file before that length is checked.
 *
 * <p>Thread-safe: the file is read positionally and nothing here changes after construction.
 */
final class BlockReader {
    /** Snappy can expand stored bytes at most about 21-fold (a 3-byte copy of 64 bytes). */
    private static final int SNAPPY_MAX_EXPANSION = 22;

    private final RandomReadFile file;
    private final String name;
    private final long dataLimit;
    private final int maxBlockSize;

    /**
     * Reads blocks that must end before {@code dataLimit} (where the footer starts) and hold at
     * most {@code maxBlockSize} bytes, stored or uncompressed.
     */
    BlockReader(RandomReadFile file, String name, long dataLimit, int maxBlockSize) {
        this.file = file;
        this.name = name;
        this.dataLimit = dataLimit;
        this.maxBlockSize = maxBlockSize;
    }

    /** A corruption located at {@code offset} in this file. */
    CorruptionException corruption(long offset, String reason) {
        return new CorruptionException(name, offset, reason);
    }

    String name() {
        return name;
    }

    /** Checks that {@code handle} lies inside the blocks part of the file and is not too large. */
    void checkHandle(BlockHandle handle, String what) throws CorruptionException {
        checkHandle(handle.offset(), handle.size(), what);
    }

    /** {@link #checkHandle(BlockHandle, String)} of the handle {@code offset}+{@code size}. */
    void checkHandle(long offset, long size, String what) throws CorruptionException {
        if (offset > dataLimit || size > dataLimit - offset - SstableFormat.TRAILER_SIZE) {
            throw corruption(offset, what + " handle " + offset + "+" + size
                    + " reaches past the end of the table's blocks at " + dataLimit);
        }
        checkSize(offset, what, size, "stored");
    }

    private void checkSize(long offset, String what, long size, String kind) throws CorruptionException {
        if (size > maxBlockSize) {
            throw corruption(offset, what + " at " + offset + " has " + size + " " + kind
                    + " bytes, more than the largest block read (TableOptions.maxBlockSize, " + maxBlockSize
                    + " bytes): damaged, or written with larger entries than this reader allows");
        }
    }

    /** The compression type byte stored in the trailer of {@code handle}'s block. */
    int compressionType(BlockHandle handle) throws IOException {
        checkHandle(handle, "block");
        byte[] type = new byte[1];
        readFully(handle.offset() + handle.size(), type, handle.offset());
        return type[0] & 0xff;
    }

    /** Reads, checks, decompresses and parses the block at {@code handle}. */
    Block read(BlockHandle handle, boolean verifyChecksum, String what) throws IOException {
        return new Block(readContents(handle, verifyChecksum, what), name, handle.offset(), verifyChecksum);
    }

    /** Reads, checks and decompresses the contents of the block at {@code handle}. */
    byte[] readContents(BlockHandle handle, boolean verifyChecksum, String what) throws IOException {
        checkHandle(handle, what);
        int size = (int) handle.size();
        // Contents and trailer apart, so that an uncompressed block's array is the block itself.
        byte[] stored = new byte[size];
        byte[] trailer = new byte[SstableFormat.TRAILER_SIZE];
        readFully(handle.offset(), stored, handle.offset());
        readFully(handle.offset() + size, trailer, handle.offset());
        int type = trailer[0] & 0xff;
        if (verifyChecksum) {
            verify(handle.offset(), stored, size, type, LittleEndian.getFixed32(trailer, 1), new CRC32C(), what);
        }
        return contents(handle, stored, size, type, what);
    }

    /**
     * Copies the stored bytes and the trailer of the block {@code offset}+{@code size} (its
     * handle checked first) into {@code buffer}, the trailer at {@code size}, in one read; checks
     * nothing else. Returns the compression type byte.
     */
    int readStored(long offset, long size, BlockBuffer buffer, String what) throws IOException {
        checkHandle(offset, size, what);
        int length = (int) size + SstableFormat.TRAILER_SIZE;
        byte[] bytes = buffer.ensure(length);
        readFully(offset, bytes, length, offset);
        return bytes[(int) size] & 0xff;
    }

    /**
     * The checksum (unmasked) of the block {@link #readStored} put in {@code buffer}, computed from
     * its bytes and type; with {@code verify}, a mismatch with the trailer's is a corruption at
     * {@code offset}.
     */
    int checksumStored(long offset, int size, BlockBuffer buffer, boolean verify, String what)
            throws CorruptionException {
        byte[] bytes = buffer.ensure(size + SstableFormat.TRAILER_SIZE);
        buffer.crc.reset();
        if (verify) {
            return verify(offset, bytes, size, bytes[size] & 0xff, LittleEndian.getFixed32(bytes, size + 1), buffer.crc,
                    what);
        }
        buffer.crc.update(bytes, 0, size + 1);
        return (int) buffer.crc.getValue();
    }

    /** Checks {@code stored[0, size)} and {@code type} against the masked checksum {@code masked}; returns it unmasked. */
    private int verify(long offset, byte[] stored, int size, int type, int masked, CRC32C crc, String what)
            throws CorruptionException {
        crc.update(stored, 0, size);
        crc.update(type);
        int expected = Crc32c.unmask(masked);
        int actual = (int) crc.getValue();
        if (actual != expected) {
            throw corruption(offset, String.format("%s at %d: checksum mismatch (stored 0x%08x, computed 0x%08x)",
                    what, offset, expected, actual));
        }
        return actual;
    }

    private byte[] contents(BlockHandle handle, byte[] stored, int size, int type, String what) throws CorruptionException {
        Compression compression = Compression.fromCode(type);
        if (compression == null) {
            byte[] foreign = ForeignCompression.decode(type, stored, size, name, handle.offset(), what, maxBlockSize);
            if (foreign != null) {
                return foreign;
            }
            throw corruption(handle.offset(), what + " at " + handle.offset() + ": unknown compression type " + type);
        }
        if (compression == Compression.NONE) {
            return stored.length == size ? stored : java.util.Arrays.copyOf(stored, size);
        }
        try {
            long length = SnappyDecompressor.getUncompressedLength(stored, 0) & 0xffffffffL;
            if (length > (long) size * SNAPPY_MAX_EXPANSION) {
                throw corruption(handle.offset(), what + " at " + handle.offset() + ": Snappy block of " + size
                        + " bytes declares an impossible " + length + " uncompressed bytes");
            }
            checkSize(handle.offset(), what, length, "uncompressed");
            byte[] contents = new byte[(int) length];
            int written = new SnappyDecompressor().decompress(stored, 0, size, contents, 0, contents.length);
            if (written != length) {
                throw corruption(handle.offset(), what + " at " + handle.offset() + ": Snappy block decoded to "
                        + written + " bytes, not the declared " + length);
            }
            return contents;
        } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new CorruptionException(name, handle.offset(), what + " at " + handle.offset()
                    + ": Snappy data does not decode: " + e.getMessage(), e);
        }
    }

    /** Reads {@code target.length} bytes at {@code position}; fewer is a corruption at {@code blockOffset}. */
    void readFully(long position, byte[] target, long blockOffset) throws IOException {
        readFully(position, target, target.length, blockOffset);
    }

    /** Reads {@code length} bytes at {@code position} into the start of {@code target}; fewer is a corruption. */
    private void readFully(long position, byte[] target, int length, long blockOffset) throws IOException {
        int done = 0;
        while (done < length) {
            int read = file.read(position + done, target, done, length - done);
            if (read <= 0) {
                throw corruption(blockOffset, "file ends " + (length - done) + " bytes early while reading "
                        + length + " bytes at " + position);
            }
            done += read;
        }
    }

    /** Whether a read of this file is a copy out of a memory mapping ({@link RandomReadFile#isMapped()}). */
    boolean mapped() {
        return file.isMapped();
    }
}
