package org.lsmtree.sstable;

import com.google.common.base.Preconditions;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.iterator.KeyCopy;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.storage.WritableFile;

/**
 * Writes one table: entries in strictly increasing key order go into data blocks of about
 * {@link TableOptions#blockSize()} bytes; {@link #finish()} then writes the filter block, the
 * properties block, the metaindex, the index and the footer. With the same options and without
 * properties, the bytes are LevelDB's bytes for the same entries.
 *
 * <p>The index entry of a data block is written only when the next key (or the end) is known, so
 * that its key can be a short separator between the two blocks. The filter keys of a block go to
 * the filter of the 2 KiB range its offset falls in.
 *
 * <p>Keys and values may be given as arrays or as views ({@link Slice}, or array, offset and
 * length) into someone else's buffer, such as a memtable's arena or a merging iterator's current
 * block: each entry is copied once, into the data block being built, and the builder keeps no
 * reference to what it was given. The previous key (for the order check and the next index
 * separator) lives in a reused {@link KeyCopy}, the filter keys in the filter builder's own
 * array; adding an entry allocates nothing per entry, for the store's bytewise orders.
 *
 * <p>The caller owns the file: the builder appends to it and neither syncs nor closes it. A key
 * out of order is an {@link IllegalArgumentException}; any {@link IOException} leaves the builder
 * unusable (call {@link #abandon()}). Not thread-safe.
 */
public final class TableBuilder implements AutoCloseable {
    private final TableOptions options;
    private final BlockWriter writer;
    private final BlockBuilder dataBlock;
    private final BlockBuilder indexBlock = new BlockBuilder(1);
    private final FilterBlockBuilder filterBlock;
    /** The last key added (empty before the first): a copy, since the caller's key may be a view. */
    private final KeyCopy lastKey = new KeyCopy(64);
    private byte[] firstKey;
    private BlockHandle pendingHandle;
    private long entries;
    private long dataBlocks;
    private long rawKeyBytes;
    private long rawValueBytes;
    private long smallestSequence = Long.MAX_VALUE;
    private long largestSequence = -1;
    private boolean closed;

    /** A builder appending to {@code file}, which must be empty. */
    public TableBuilder(WritableFile file, TableOptions options) {
        Preconditions.checkArgument(file.size() == 0, "table file already holds %s bytes", file.size());
        this.options = Preconditions.checkNotNull(options, "options");
        this.writer = new BlockWriter(file);
        this.dataBlock = new BlockBuilder(options.restartInterval());
        this.filterBlock = options.bloomBitsPerKey() > 0
                ? new FilterBlockBuilder(new BloomFilter(options.bloomBitsPerKey()))
                : null;
        if (filterBlock != null) {
            filterBlock.startBlock(0);
        }
    }

    /**
     * Adds an entry. {@code key} must sort strictly after the previous key
     * ({@link IllegalArgumentException} otherwise); for internal-key tables it must be at least 8
     * bytes. The arrays are not kept; the caller may reuse them.
     */
    public void add(byte[] key, byte[] value) throws IOException {
        add(key, 0, key.length, value, 0, value.length);
    }

    /**
     * Adds the entry {@code key} and {@code value} show, as {@link #add(byte[], byte[])} does: the
     * bytes are copied before this returns, so the views may move afterwards.
     */
    public void add(Slice key, Slice value) throws IOException {
        add(key.array(), key.offset(), key.length(), value.array(), value.offset(), value.length());
    }

    /**
     * Adds the entry with key {@code key[keyOffset, +keyLength)} and value
     * {@code value[valueOffset, +valueLength)}, as {@link #add(byte[], byte[])} does. Neither array
     * is kept past the call.
     */
    public void add(byte[] key, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength)
            throws IOException {
        Preconditions.checkState(!closed, "table already finished or abandoned");
        Preconditions.checkPositionIndexes(keyOffset, keyOffset + keyLength, key.length);
        Preconditions.checkPositionIndexes(valueOffset, valueOffset + valueLength, value.length);
        if (entries > 0 && options.keyOrder().compare(key, keyOffset, keyLength, lastKey.array(), 0,
                lastKey.length()) <= 0) {
            throw new IllegalArgumentException("key out of order: each key must sort after the previous one");
        }
        if (options.internalKeys()) {
            Preconditions.checkArgument(keyLength >= InternalKey.TRAILER_SIZE, "internal key of %s bytes", keyLength);
            long sequence = LittleEndian.getFixed64(key, keyOffset + keyLength - InternalKey.TRAILER_SIZE) >>> 8;
            smallestSequence = Math.min(smallestSequence, sequence);
            largestSequence = Math.max(largestSequence, sequence);
        }
        if (pendingHandle != null) { // once per data block: the separator may allocate
            addIndexEntry(options.shortener().separator(lastKey.toByteArray(),
                    Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength)));
        }
        if (filterBlock != null) {
            addFilterKey(key, keyOffset, keyLength);
        }
        if (firstKey == null) {
            firstKey = Arrays.copyOfRange(key, keyOffset, keyOffset + keyLength);
        }
        lastKey.set(key, keyOffset, keyLength);
        entries++;
        rawKeyBytes += keyLength;
        rawValueBytes += valueLength;
        dataBlock.add(key, keyOffset, keyLength, value, valueOffset, valueLength);
        if (dataBlock.sizeEstimate() >= options.blockSize()) {
            flush();
        }
    }

    /** Gives the filter the part of the key it hashes: in place when a prefix, else from a copy. */
    private void addFilterKey(byte[] key, int offset, int length) {
        int prefix = options.filterKey().prefixLength(key, offset, length);
        if (prefix >= 0) {
            filterBlock.addKey(key, offset, prefix);
        } else {
            byte[] filterKey = options.filterKey().of(Arrays.copyOfRange(key, offset, offset + length));
            filterBlock.addKey(filterKey, 0, filterKey.length);
        }
    }

    private void addIndexEntry(byte[] separator) {
        assert dataBlock.isEmpty() : "an index entry is pending only between blocks";
        indexBlock.add(separator, pendingHandle.encode());
        pendingHandle = null;
    }

    /** Writes the current data block, if it holds anything. */
    private void flush() throws IOException {
        if (dataBlock.isEmpty()) {
            return;
        }
        pendingHandle = writer.write(dataBlock.finish(), options.compression());
        dataBlock.reset();
        dataBlocks++;
        if (filterBlock != null) {
            filterBlock.startBlock(writer.offset());
        }
    }

    /**
     * Writes the rest of the table and returns its size in bytes. The file is not synced or
     * closed. The builder can take no more entries afterwards.
     */
    public long finish() throws IOException {
        Preconditions.checkState(!closed, "table already finished or abandoned");
        try {
            flush();
            BlockBuilder metaindex = new BlockBuilder(options.restartInterval());
            try {
                if (filterBlock != null) {
                    BlockHandle filter = writer.write(filterBlock.finish(), Compression.NONE);
                    metaindex.add(SstableFormat.FILTER_META_KEY.getBytes(StandardCharsets.US_ASCII), filter.encode());
                }
                if (options.writeProperties()) {
                    BlockHandle properties = writeProperties();
                    metaindex.add(SstableFormat.PROPERTIES_META_KEY.getBytes(StandardCharsets.US_ASCII), properties.encode());
                }
                BlockHandle metaindexHandle = writer.write(metaindex.finish(), options.compression());
                if (pendingHandle != null) {
                    addIndexEntry(options.shortener().successor(lastKey.toByteArray()));
                }
                BlockHandle indexHandle = writer.write(indexBlock.finish(), options.compression());
                writer.writeFooter(new Footer(metaindexHandle, indexHandle).encode());
            } finally {
                metaindex.close();
            }
            return writer.offset();
        } finally {
            release();
        }
    }

    private BlockHandle writeProperties() throws IOException {
        try (BlockBuilder block = new BlockBuilder(1)) {
            properties().writeTo(block);
            ByteBuf contents = block.finish();
            return writer.write(contents, options.compression());
        }
    }

    /** The properties of the entries added so far (what {@link #finish()} records). */
    public TableProperties properties() {
        boolean sequences = options.internalKeys() && entries > 0;
        return new TableProperties(entries, dataBlocks + (dataBlock.isEmpty() || closed ? 0 : 1), rawKeyBytes,
                rawValueBytes, sequences ? smallestSequence : -1, sequences ? largestSequence : -1,
                TableProperties.CREATOR);
    }

    /** Stops building without finishing; the caller deletes the file. Harmless after finish. */
    public void abandon() {
        release();
    }

    @Override
    public void close() {
        release();
    }

    private void release() {
        if (!closed) {
            closed = true;
            dataBlock.close();
            indexBlock.close();
            if (filterBlock != null) {
                filterBlock.close();
            }
        }
    }

    /** Entries added so far. */
    public long entryCount() {
        return entries;
    }

    /** Bytes written to the file so far (after {@link #finish()}: the table's size). */
    public long fileSize() {
        return writer.offset();
    }

    /** Bytes written so far plus the data block being filled: when to cut a compaction output. */
    public long estimatedSize() {
        return writer.offset() + (closed ? 0 : dataBlock.sizeEstimate());
    }

    /** The smallest key added (a copy), or null when none. */
    public byte[] smallestKey() {
        return firstKey == null ? null : firstKey.clone();
    }

    /** The largest key added (a copy), or null when none. */
    public byte[] largestKey() {
        return entries == 0 ? null : lastKey.toByteArray();
    }
}
