package org.lsmtree.sstable;

/**
 * Every on-disk constant of LevelDB's table format, as specified in {@code docs/format/table.md}.
 *
 * <pre>
 * table    := data-block* filter-block? meta-block* metaindex-block index-block footer
 * block    := contents trailer
 * trailer  := compression:uint8  checksum:fixed32      (masked CRC32C of contents and compression)
 * handle   := offset:varint64  size:varint64          (size excludes the trailer)
 * footer   := metaindex:handle  index:handle  padding:0x00*  magic:fixed64   (48 bytes)
 * </pre>
 */
public final class SstableFormat {
    /** The last eight bytes of every table, little-endian. */
    public static final long MAGIC = 0xdb4775248b80fb57L;
    /** Bytes of the footer: two handles of at most 20 bytes each, padding, then the magic. */
    public static final int FOOTER_SIZE = 48;
    /** Bytes a block handle takes at most: two varint64s. */
    public static final int MAX_HANDLE_SIZE = 20;
    /** Bytes after each block's contents: compression type and masked checksum. */
    public static final int TRAILER_SIZE = 5;
    /** Compression type byte of a block stored as is. */
    public static final int COMPRESSION_NONE = 0;
    /** Compression type byte of a Snappy-compressed block. */
    public static final int COMPRESSION_SNAPPY = 1;

    /** Default target size of uncompressed data blocks. */
    public static final int DEFAULT_BLOCK_SIZE = 4096;
    /** Default number of entries between restart points in data blocks. */
    public static final int DEFAULT_RESTART_INTERVAL = 16;
    /** Default bloom filter bits per key. */
    public static final int DEFAULT_BLOOM_BITS_PER_KEY = 10;

    /** log2 of the data-offset range one filter covers: 2 KiB. */
    public static final int FILTER_BASE_LG = 11;
    /** The filter policy name LevelDB's builtin bloom filter records. */
    public static final String BLOOM_POLICY_NAME = "leveldb.BuiltinBloomFilter2";
    /** Metaindex key of the filter block: {@code "filter." + policy name}. */
    public static final String FILTER_META_KEY = "filter." + BLOOM_POLICY_NAME;
    /** Metaindex key of our table-properties block (an extension LevelDB ignores). */
    public static final String PROPERTIES_META_KEY = "lsmtree.properties";
    /** Seed of LevelDB's bloom hash. */
    public static final int BLOOM_HASH_SEED = 0xbc9f1d34;
    /** A filter whose probe count byte is above this is a future encoding: it matches everything. */
    public static final int MAX_BLOOM_PROBES = 30;

    private SstableFormat() {}
}
