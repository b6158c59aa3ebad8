package org.lsmtree.format;

import io.netty.buffer.ByteBuf;

/**
 * LevelDB's variable-length integers and length-prefixed slices.
 *
 * <p>A varint holds seven bits of the value per byte, least significant group first; the top bit
 * of a byte says another byte follows. A varint32 takes at most 5 bytes, a varint64 at most 10.
 * Decoding rejects, as a {@link CorruptionException}, a varint cut off by the end of the input, one
 * longer than its maximum, and one whose last byte carries bits beyond 32 or 64 (LevelDB never
 * writes such bytes). Non-canonical encodings that LevelDB itself accepts (a value padded with
 * {@code 0x80} bytes) are accepted.
 *
 * <p>A length-prefixed slice is a varint32 length followed by that many bytes. A length longer
 * than what is left of the input is a corruption detected before anything is allocated.
 *
 * <p>Stateless; safe for any thread.
 */
public final class Varint {
    public static final int MAX_VARINT32_SIZE = 5;
    public static final int MAX_VARINT64_SIZE = 10;

    private Varint() {}

    /** The number of bytes {@code value} takes as a varint (a varint32 when it fits in 32 bits). */
    public static int encodedLength(long value) {
        int length = 1;
        while ((value & ~0x7fL) != 0) {
            value >>>= 7;
            length++;
        }
        return length;
    }

    /** Appends {@code value} (taken as unsigned) as a varint32. */
    public static void writeVarint32(ByteBuf out, int value) {
        writeVarint64(out, value & 0xffffffffL);
    }

    /** Appends {@code value} (taken as unsigned) as a varint64. */
    public static void writeVarint64(ByteBuf out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.writeByte((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    /** Writes {@code value} (unsigned) as a varint32 at {@code offset}; returns the offset after it. */
    public static int putVarint32(byte[] target, int offset, int value) {
        return putVarint64(target, offset, value & 0xffffffffL);
    }

    /** Writes {@code value} (unsigned) as a varint64 at {@code offset}; returns the offset after it. */
    public static int putVarint64(byte[] target, int offset, long value) {
        while ((value & ~0x7fL) != 0) {
            target[offset++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        target[offset++] = (byte) value;
        return offset;
    }

    /** Reads a varint32 from {@code in}, advancing it; returns the value as an unsigned int bit pattern. */
    public static int readVarint32(ByteBuf in) throws CorruptionException {
        return (int) readVarint(in, MAX_VARINT32_SIZE, 32);
    }

    /** Reads a varint64 from {@code in}, advancing it. */
    public static long readVarint64(ByteBuf in) throws CorruptionException {
        return readVarint(in, MAX_VARINT64_SIZE, 64);
    }

    /** Decodes the varint32 at {@code offset}, which must end before {@code limit}. */
    public static int getVarint32(byte[] source, int offset, int limit) throws CorruptionException {
        if (offset < limit && source[offset] >= 0) {
            return source[offset];
        }
        return (int) decode(source, offset, limit, MAX_VARINT32_SIZE, 32, false);
    }

    /** Decodes the varint64 at {@code offset}, which must end before {@code limit}. */
    public static long getVarint64(byte[] source, int offset, int limit) throws CorruptionException {
        if (offset < limit && source[offset] >= 0) {
            return source[offset];
        }
        return decode(source, offset, limit, MAX_VARINT64_SIZE, 64, false);
    }

    /**
     * Decodes the varint32 at {@code offset}, which must end before {@code limit}, and returns it
     * with its encoded length in one {@code long}: the value, unsigned, in the low 32 bits (take
     * it with {@code (int) packed}), the number of bytes it occupies above them
     * ({@code (int) (packed >>> 32)}). Checked as {@link #getVarint32}; nothing allocated (the one-byte case,
     * the common one, reads one byte): this is what block parsers call per entry.
     */
    public static long getVarint32WithLength(byte[] source, int offset, int limit) throws CorruptionException {
        if (offset < limit && source[offset] >= 0) {
            return 1L << 32 | source[offset];
        }
        // Longer varints are rare in blocks (lengths of 128 bytes or more): decode twice.
        long value = decode(source, offset, limit, MAX_VARINT32_SIZE, 32, false);
        long length = decode(source, offset, limit, MAX_VARINT32_SIZE, 32, true);
        return length << 32 | value;
    }

    /**
     * The number of bytes the varint64 at {@code offset} occupies (a varint32 is a valid varint64
     * of the same length), checked as {@link #getVarint64} checks it.
     */
    public static int lengthAt(byte[] source, int offset, int limit) throws CorruptionException {
        if (offset < limit && source[offset] >= 0) {
            return 1;
        }
        return (int) decode(source, offset, limit, MAX_VARINT64_SIZE, 64, true);
    }

    /** Appends {@code bytes} preceded by its length as a varint32. */
    public static void writeLengthPrefixed(ByteBuf out, byte[] bytes) {
        writeVarint32(out, bytes.length);
        out.writeBytes(bytes);
    }

    /**
     * Reads a length-prefixed slice from {@code in} into a new array, advancing {@code in}. The
     * length is checked against the readable bytes before the array is allocated.
     */
    public static byte[] readLengthPrefixed(ByteBuf in) throws CorruptionException {
        int start = in.readerIndex();
        long length = readVarint32(in) & 0xffffffffL;
        if (length > in.readableBytes()) {
            throw CorruptionException.atOffset(start, "length-prefixed slice claims " + length
                    + " bytes but only " + in.readableBytes() + " follow");
        }
        byte[] bytes = new byte[(int) length];
        in.readBytes(bytes);
        return bytes;
    }

    /**
     * Reads a length-prefixed slice from {@code in} as a view sharing its memory, advancing
     * {@code in}. The view is not retained: it is valid while {@code in} is, and the caller must
     * not release it.
     */
    public static ByteBuf readLengthPrefixedSlice(ByteBuf in) throws CorruptionException {
        int start = in.readerIndex();
        long length = readVarint32(in) & 0xffffffffL;
        if (length > in.readableBytes()) {
            throw CorruptionException.atOffset(start, "length-prefixed slice claims " + length
                    + " bytes but only " + in.readableBytes() + " follow");
        }
        return in.readSlice((int) length);
    }

    private static long readVarint(ByteBuf in, int maxBytes, int bits) throws CorruptionException {
        int start = in.readerIndex();
        if (start < in.writerIndex()) {
            byte first = in.getByte(start);
            if (first >= 0) {
                in.readerIndex(start + 1);
                return first;
            }
        }
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (!in.isReadable()) {
                throw CorruptionException.atOffset(start, "truncated varint" + bits);
            }
            int b = in.readUnsignedByte();
            checkLastGroup(b, i, bits, start);
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw CorruptionException.atOffset(start, "varint" + bits + " longer than " + maxBytes + " bytes");
    }

    private static long decode(byte[] source, int offset, int limit, int maxBytes, int bits,
            boolean returnLength) throws CorruptionException {
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (offset + i >= limit) {
                throw CorruptionException.atOffset(offset, "truncated varint" + bits);
            }
            int b = source[offset + i] & 0xff;
            checkLastGroup(b, i, bits, offset);
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return returnLength ? i + 1 : value;
            }
        }
        throw CorruptionException.atOffset(offset, "varint" + bits + " longer than " + maxBytes + " bytes");
    }

    /** The byte that holds the topmost bits may not carry bits the integer does not have. */
    private static void checkLastGroup(int b, int index, int bits, long offset) throws CorruptionException {
        int usedBits = bits - 7 * index;
        if (usedBits < 7 && (b & 0x7f) >>> usedBits != 0) {
            throw CorruptionException.atOffset(offset, "varint" + bits + " overflows " + bits + " bits");
        }
    }
}
