package org.lsmtree.sstable;

import com.google.common.base.Preconditions;
import java.util.Comparator;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;

/**
 * How tables are written and read: the key order (with its index-key shortening and the part of
 * a key the filter hashes), block size, restart interval, bloom bits per key (0: no filter),
 * compression, whether reads verify checksums, whether the builder writes our properties
 * block, and the largest block a reader accepts.
 *
 * <p>Defaults ({@link #defaults()}): internal keys over LevelDB's bytewise order, 4096-byte
 * blocks, a restart every 16 entries, a 10-bit bloom filter on user keys, no compression,
 * checksums not verified on ordinary reads (as LevelDB), properties written, blocks of up to
 * {@link #DEFAULT_MAX_BLOCK_SIZE} bytes read.
 *
 * <p>Immutable and thread-safe; each {@code with...} returns a changed copy.
 */
public final class TableOptions {
    /**
     * Default of {@link #maxBlockSize()}: 64 MiB. A block holds at least one entry, so this also
     * bounds the largest key plus value a table can hold for a reader with default options.
     */
    public static final int DEFAULT_MAX_BLOCK_SIZE = 64 << 20;

    private final Comparator<byte[]> comparator;
    private final KeyOrder keyOrder;
    private final KeyShortener shortener;
    private final FilterKey filterKey;
    private final boolean internalKeys;
    private final int blockSize;
    private final int restartInterval;
    private final int bloomBitsPerKey;
    private final Compression compression;
    private final boolean verifyChecksums;
    private final boolean writeProperties;
    private final int maxBlockSize;

    private TableOptions(Comparator<byte[]> comparator, KeyShortener shortener, FilterKey filterKey,
            boolean internalKeys, int blockSize, int restartInterval, int bloomBitsPerKey, Compression compression,
            boolean verifyChecksums, boolean writeProperties, int maxBlockSize) {
        this.comparator = Preconditions.checkNotNull(comparator, "comparator");
        this.keyOrder = KeyOrder.of(comparator);
        this.shortener = Preconditions.checkNotNull(shortener, "shortener");
        this.filterKey = Preconditions.checkNotNull(filterKey, "filterKey");
        this.internalKeys = internalKeys;
        Preconditions.checkArgument(blockSize > 0, "block size %s must be positive", blockSize);
        Preconditions.checkArgument(restartInterval > 0, "restart interval %s must be positive", restartInterval);
        Preconditions.checkArgument(bloomBitsPerKey >= 0, "bloom bits per key %s must not be negative", bloomBitsPerKey);
        this.blockSize = blockSize;
        this.restartInterval = restartInterval;
        this.bloomBitsPerKey = bloomBitsPerKey;
        this.compression = Preconditions.checkNotNull(compression, "compression");
        this.verifyChecksums = verifyChecksums;
        this.writeProperties = writeProperties;
        Preconditions.checkArgument(maxBlockSize > 0, "max block size %s must be positive", maxBlockSize);
        this.maxBlockSize = maxBlockSize;
    }

    /** Internal keys over LevelDB's bytewise user-key order, with every other default. */
    public static TableOptions defaults() {
        return forInternalKeys(BytewiseComparator.INSTANCE);
    }

    /**
     * Tables of internal keys (a store's tables): ordered by {@link InternalKeyComparator} over
     * {@code userComparator}, index keys shortened as LevelDB does, the filter on user keys.
     */
    public static TableOptions forInternalKeys(UserComparator userComparator) {
        InternalKeyComparator order = new InternalKeyComparator(userComparator);
        return new TableOptions(order, KeyShortener.of(order), FilterKey.USER_KEY, true,
                SstableFormat.DEFAULT_BLOCK_SIZE, SstableFormat.DEFAULT_RESTART_INTERVAL,
                SstableFormat.DEFAULT_BLOOM_BITS_PER_KEY, Compression.NONE, false, true, DEFAULT_MAX_BLOCK_SIZE);
    }

    /** Tables of plain keys in {@code comparator}'s order, shortened by it, filtered whole. */
    public static TableOptions forPlainKeys(UserComparator comparator) {
        return forInternalKeys(comparator).withKeyOrder(comparator, KeyShortener.of(comparator), FilterKey.WHOLE_KEY);
    }

    /**
     * Any key order: {@code comparator} orders keys, {@code shortener} shortens index keys
     * ({@link KeyShortener#NONE} to keep them whole), {@code filterKey} picks what the filter hashes.
     */
    public TableOptions withKeyOrder(Comparator<byte[]> comparator, KeyShortener shortener, FilterKey filterKey) {
        return new TableOptions(comparator, shortener, filterKey, comparator instanceof InternalKeyComparator,
                blockSize, restartInterval, bloomBitsPerKey, compression, verifyChecksums, writeProperties, maxBlockSize);
    }

    /** Target uncompressed size of a data block; a block is cut once it reaches this. */
    public TableOptions withBlockSize(int bytes) {
        return new TableOptions(comparator, shortener, filterKey, internalKeys, bytes, restartInterval,
                bloomBitsPerKey, compression, verifyChecksums, writeProperties, maxBlockSize);
    }

    /** Entries between restart points in data blocks (index blocks always use 1). */
    public TableOptions withRestartInterval(int entries) {
        return new TableOptions(comparator, shortener, filterKey, internalKeys, blockSize, entries,
                bloomBitsPerKey, compression, verifyChecksums, writeProperties, maxBlockSize);
    }

    /** Bloom filter bits per key; 0 writes no filter block. */
    public TableOptions withBloomBitsPerKey(int bits) {
        return new TableOptions(comparator, shortener, filterKey, internalKeys, blockSize, restartInterval,
                bits, compression, verifyChecksums, writeProperties, maxBlockSize);
    }

    /** How blocks are written (reading accepts both kinds regardless). */
    public TableOptions withCompression(Compression compression) {
        return new TableOptions(comparator, shortener, filterKey, internalKeys, blockSize, restartInterval,
                bloomBitsPerKey, compression, verifyChecksums, writeProperties, maxBlockSize);
    }

    /** Whether reads check every block's checksum (opening a table always checks its meta blocks). */
    public TableOptions withVerifyChecksums(boolean verify) {
        return new TableOptions(comparator, shortener, filterKey, internalKeys, blockSize, restartInterval,
                bloomBitsPerKey, compression, verify, writeProperties, maxBlockSize);
    }

    /** Whether the builder writes the {@value SstableFormat#PROPERTIES_META_KEY} block. */
    public TableOptions withProperties(boolean write) {
        return new TableOptions(comparator, shortener, filterKey, internalKeys, blockSize, restartInterval,
                bloomBitsPerKey, compression, verifyChecksums, write, maxBlockSize);
    }

    /**
     * The largest block a reader accepts, in bytes, stored or uncompressed: a block handle or a
     * Snappy length above it is refused as a {@code CorruptionException} naming this option,
     * before anything is allocated, so a damaged or hostile table cannot make a reader allocate
     * more. Raise it only for tables holding entries larger than the default allows.
     */
    public TableOptions withMaxBlockSize(int bytes) {
        return new TableOptions(comparator, shortener, filterKey, internalKeys, blockSize, restartInterval,
                bloomBitsPerKey, compression, verifyChecksums, writeProperties, bytes);
    }

    public Comparator<byte[]> comparator() {
        return comparator;
    }

    /** The comparator's order, applied in place where it can be. */
    KeyOrder keyOrder() {
        return keyOrder;
    }

    public KeyShortener shortener() {
        return shortener;
    }

    public FilterKey filterKey() {
        return filterKey;
    }

    /** Whether keys are internal keys (then properties record their sequence range). */
    public boolean internalKeys() {
        return internalKeys;
    }

    public int blockSize() {
        return blockSize;
    }

    public int restartInterval() {
        return restartInterval;
    }

    public int bloomBitsPerKey() {
        return bloomBitsPerKey;
    }

    public Compression compression() {
        return compression;
    }

    public boolean verifyChecksums() {
        return verifyChecksums;
    }

    public boolean writeProperties() {
        return writeProperties;
    }

    /** See {@link #withMaxBlockSize(int)}. */
    public int maxBlockSize() {
        return maxBlockSize;
    }

    @Override
    public String toString() {
        return "TableOptions(" + comparator + ", block " + blockSize + ", restart " + restartInterval + ", bloom "
                + bloomBitsPerKey + ", " + compression + (verifyChecksums ? ", verified" : "") + ")";
    }
}
