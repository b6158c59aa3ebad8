package org.lsmtree.sstable;

import io.netty.buffer.ByteBuf;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Varint;

/**
 * Where a block lies in a table: the offset of its first byte and the size of its contents,
 * trailer not included. Encoded as two varint64s (at most {@value SstableFormat#MAX_HANDLE_SIZE}
 * bytes). An immutable value.
 */
record BlockHandle(long offset, long size) {

    BlockHandle {
        if (offset < 0 || size < 0) {
            throw new IllegalArgumentException("negative block handle " + offset + "+" + size);
        }
    }

    /** The offset just past the block's trailer. */
    long end() {
        return offset + size + SstableFormat.TRAILER_SIZE;
    }

    /** Appends the two varints to {@code out}; the caller owns {@code out}. */
    void encodeTo(ByteBuf out) {
        Varint.writeVarint64(out, offset);
        Varint.writeVarint64(out, size);
    }

    /** The encoding as a new array. */
    byte[] encode() {
        byte[] bytes = new byte[Varint.encodedLength(offset) + Varint.encodedLength(size)];
        int at = Varint.putVarint64(bytes, 0, offset);
        Varint.putVarint64(bytes, at, size);
        return bytes;
    }

    /**
     * Reads a handle from {@code in} at its reader index, advancing it. A cut-off or overlong
     * varint, or a value that does not fit a signed long, is a corruption (offset relative to the
     * buffer's reader index on entry). The caller owns {@code in}.
     */
    static BlockHandle decodeFrom(ByteBuf in) throws CorruptionException {
        int start = in.readerIndex();
        long offset = Varint.readVarint64(in);
        long size = Varint.readVarint64(in);
        if (offset < 0 || size < 0) {
            throw CorruptionException.atOffset(start, "block handle " + Long.toUnsignedString(offset)
                    + "+" + Long.toUnsignedString(size) + " is beyond any file");
        }
        return new BlockHandle(offset, size);
    }

    /** Decodes a handle that must take all of {@code bytes}. */
    static BlockHandle decode(byte[] bytes) throws CorruptionException {
        ByteBuf in = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
        BlockHandle handle = decodeFrom(in);
        if (in.isReadable()) {
            throw CorruptionException.atOffset(in.readerIndex(), in.readableBytes() + " bytes after a block handle");
        }
        return handle;
    }

    @Override
    public String toString() {
        return "block@" + offset + "+" + size;
    }
}
