package org.lsmtree.format;

import io.netty.buffer.ByteBuf;

/**
 * LevelDB's fixed-width integers: fixed32 and fixed64, least significant byte first. On a
 * {@link ByteBuf} use Netty's explicit little-endian accessors ({@code writeIntLE},
 * {@code getLongLE}); this class adds the {@code byte[]} forms and bounds-checked reads that turn
 * a short buffer into a {@link CorruptionException} instead of an {@code IndexOutOfBoundsException}.
 *
 * <p>Stateless; safe for any thread.
 */
public final class LittleEndian {
    public static final int FIXED32_SIZE = 4;
    public static final int FIXED64_SIZE = 8;

    private LittleEndian() {}

    /** Writes {@code value} as fixed32 at {@code offset}. */
    public static void putFixed32(byte[] target, int offset, int value) {
        target[offset] = (byte) value;
        target[offset + 1] = (byte) (value >>> 8);
        target[offset + 2] = (byte) (value >>> 16);
        target[offset + 3] = (byte) (value >>> 24);
    }

    /** Writes {@code value} as fixed64 at {@code offset}. */
    public static void putFixed64(byte[] target, int offset, long value) {
        for (int i = 0; i < FIXED64_SIZE; i++) {
            target[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    /** Reads the fixed32 at {@code offset}; the caller has checked that four bytes are there. */
    public static int getFixed32(byte[] source, int offset) {
        return (source[offset] & 0xff)
                | (source[offset + 1] & 0xff) << 8
                | (source[offset + 2] & 0xff) << 16
                | (source[offset + 3] & 0xff) << 24;
    }

    /** Reads the fixed64 at {@code offset}; the caller has checked that eight bytes are there. */
    public static long getFixed64(byte[] source, int offset) {
        long value = 0;
        for (int i = FIXED64_SIZE - 1; i >= 0; i--) {
            value = (value << 8) | (source[offset + i] & 0xff);
        }
        return value;
    }

    /** Reads a fixed32 from {@code in}, advancing it; too few readable bytes is a corruption. */
    public static int readFixed32(ByteBuf in) throws CorruptionException {
        requireReadable(in, FIXED32_SIZE, "fixed32");
        return in.readIntLE();
    }

    /** Reads a fixed64 from {@code in}, advancing it; too few readable bytes is a corruption. */
    public static long readFixed64(ByteBuf in) throws CorruptionException {
        requireReadable(in, FIXED64_SIZE, "fixed64");
        return in.readLongLE();
    }

    static void requireReadable(ByteBuf in, long needed, String what) throws CorruptionException {
        if (in.readableBytes() < needed) {
            throw CorruptionException.atOffset(in.readerIndex(),
                    "truncated " + what + ": needs " + needed + " bytes, " + in.readableBytes() + " left");
        }
    }
}
