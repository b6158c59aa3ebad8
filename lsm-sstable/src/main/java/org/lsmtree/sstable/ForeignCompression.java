package org.lsmtree.sstable;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.lsmtree.format.CorruptionException;

/**
 * Block compressions found in tables written by LevelDB's relatives, read only (we write none
 * of them): type 2 is zstd in today's upstream LevelDB and zlib in Minecraft Bedrock's fork,
 * told apart by the stream's own start (zstd's frame magic {@code 28 b5 2f fd}, zlib's header
 * {@code CMF FLG} with {@code CMF & 0x0f == 8} and {@code (CMF * 256 + FLG) % 31 == 0}); type 4 is
 * raw deflate (Bedrock). A block never decodes to more than the reader's
 * {@link TableOptions#maxBlockSize()}: a hostile stream is corruption naming that option, not an
 * out-of-memory error. See {@code docs/format/table.md}. Stateless.
 */
final class ForeignCompression {
    /** Type byte 2: zstd (upstream LevelDB) or zlib (Bedrock), by the stream's magic. */
    static final int TYPE_ZSTD_OR_ZLIB = 2;
    /** Type byte 4: raw deflate (Bedrock's fork). */
    static final int TYPE_RAW_DEFLATE = 4;
    private ForeignCompression() {}

    /**
     * The contents of a block stored as {@code stored[0, size)} with compression {@code type}, or
     * null when {@code type} is none of these; contents larger than {@code maxBytes} are a corruption.
     */
    static byte[] decode(int type, byte[] stored, int size, String file, long offset, String what, int maxBytes)
            throws CorruptionException {
        if (type == TYPE_ZSTD_OR_ZLIB && isZstd(stored, size)) {
            return zstd(stored, size, file, offset, what, maxBytes);
        }
        if (type == TYPE_ZSTD_OR_ZLIB && isZlib(stored, size)) {
            return inflate(stored, size, false, "zlib", file, offset, what, maxBytes);
        }
        if (type == TYPE_RAW_DEFLATE) {
            return inflate(stored, size, true, "raw deflate", file, offset, what, maxBytes);
        }
        if (type == TYPE_ZSTD_OR_ZLIB) {
            throw new CorruptionException(file, offset, what + " at " + offset
                    + ": compression type 2 but neither a zstd frame nor a zlib stream");
        }
        return null;
    }

    private static boolean isZstd(byte[] b, int size) {
        return size >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f
                && (b[3] & 0xff) == 0xfd;
    }

    private static boolean isZlib(byte[] b, int size) {
        return size >= 2 && (b[0] & 0x0f) == 8 && ((b[0] & 0xff) * 256 + (b[1] & 0xff)) % 31 == 0;
    }

    private static byte[] zstd(byte[] stored, int size, String file, long offset, String what, int maxBytes)
            throws CorruptionException {
        try {
            long length = ZstdDecompressor.getDecompressedSize(stored, 0, size);
            if (length < 0 || length > maxBytes) {
                throw new CorruptionException(file, offset, what + " at " + offset + ": zstd frame declares "
                        + (length < 0 ? "no content size" : length + " bytes" + overBound(maxBytes)));
            }
            byte[] contents = new byte[(int) length];
            int written = new ZstdDecompressor().decompress(stored, 0, size, contents, 0, contents.length);
            if (written != length) {
                throw new CorruptionException(file, offset, what + " at " + offset + ": zstd frame decoded to "
                        + written + " bytes, not the declared " + length);
            }
            return contents;
        } catch (RuntimeException e) {
            throw new CorruptionException(file, offset, what + " at " + offset + ": zstd data does not decode: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] inflate(byte[] stored, int size, boolean raw, String kind, String file, long offset,
            String what, int maxBytes) throws CorruptionException {
        Inflater inflater = new Inflater(raw);
        try {
            inflater.setInput(stored, 0, size);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(64, size * 4));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CorruptionException(file, offset, what + " at " + offset + ": " + kind
                            + " stream ends early");
                }
                out.write(chunk, 0, n);
                if (out.size() > maxBytes) {
                    throw new CorruptionException(file, offset, what + " at " + offset + ": " + kind
                            + " stream decodes to more bytes" + overBound(maxBytes));
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new CorruptionException(file, offset, what + " at " + offset + ": " + kind + " data does not decode: "
                    + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static String overBound(int maxBytes) {
        return ", more than the largest block read (TableOptions.maxBlockSize, " + maxBytes
                + " bytes): damaged, or written with larger entries than this reader allows";
    }
}
