package org.lsmtree.sstable;

/**
 * How a block's contents are stored: the compression type byte of its trailer. Codes are on disk
 * and never reused; LevelDB 1.23 knows exactly these two.
 */
public enum Compression {
    /** Stored as is (type byte 0). */
    NONE(SstableFormat.COMPRESSION_NONE),
    /** Snappy's raw format with its varint length preamble (type byte 1). */
    SNAPPY(SstableFormat.COMPRESSION_SNAPPY);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    /** The trailer's type byte. */
    public int code() {
        return code;
    }

    /** The compression of a type byte, or null when the byte names none we know. */
    public static Compression fromCode(int code) {
        for (Compression compression : values()) {
            if (compression.code == code) {
                return compression;
            }
        }
        return null;
    }
}
