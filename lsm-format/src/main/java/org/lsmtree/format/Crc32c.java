package org.lsmtree.format;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli) as LevelDB stores it: masked.
 *
 * <p>A CRC computed over data that itself holds CRCs is weak, so LevelDB never stores a raw CRC:
 * it rotates it right by 15 bits and adds the constant {@value #MASK_DELTA} (mod 2^32). See
 * {@code docs/format/log.md}.
 *
 * <p>Stateless; safe for any thread.
 */
public final class Crc32c {
    /** LevelDB's {@code kMaskDelta}. */
    public static final int MASK_DELTA = 0xa282ead8;

    private Crc32c() {}

    /** The raw CRC32C of {@code length} bytes of {@code data} from {@code offset}. */
    public static int compute(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    /** The raw CRC32C of one leading byte followed by a range of {@code data}. */
    public static int compute(byte first, byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(first);
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    /** The raw CRC32C of one leading byte followed by the readable bytes of {@code data} (indexes unchanged). */
    public static int compute(byte first, ByteBuf data) {
        CRC32C crc = new CRC32C();
        crc.update(first);
        update(crc, data);
        return (int) crc.getValue();
    }

    /** The raw CRC32C of the readable bytes of {@code data}; its indexes are unchanged. */
    public static int compute(ByteBuf data) {
        CRC32C crc = new CRC32C();
        update(crc, data);
        return (int) crc.getValue();
    }

    /** The stored form of a raw CRC. */
    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** The raw CRC from its stored form; {@code unmask(mask(c)) == c}. */
    public static int unmask(int maskedCrc) {
        int rotated = maskedCrc - MASK_DELTA;
        return (rotated >>> 17) | (rotated << 15);
    }

    private static void update(CRC32C crc, ByteBuf data) {
        if (data.hasArray()) {
            crc.update(data.array(), data.arrayOffset() + data.readerIndex(), data.readableBytes());
        } else {
            for (java.nio.ByteBuffer part : data.nioBuffers(data.readerIndex(), data.readableBytes())) {
                crc.update(part);
            }
        }
    }
}
