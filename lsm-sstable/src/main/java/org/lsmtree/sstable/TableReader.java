package org.lsmtree.sstable;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.base.Preconditions;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.Storage;

/**
 * An open table. Opening reads the footer, the index block, the metaindex and the filter block
 * (always checking their checksums), and checks every index entry and filter ({@link IndexCheck},
 * {@link FilterBlockReader#checkFilters}); data blocks are read on demand, through the
 * {@link BlockCache}, their checksums checked when {@link TableOptions#verifyChecksums()} or the
 * call asks, their entries and their place against the index always checked when loaded
 * ({@link DataBlockCheck}), before they are cached. Every damage found is a
 * {@link CorruptionException} naming the file and the block's offset; no block larger than
 * {@link TableOptions#maxBlockSize()} is read.
 *
 * <p>A table written by any LevelDB opens here as long as the options name its key order; the
 * filter is used when the metaindex has {@value SstableFormat#FILTER_META_KEY}, hashing what
 * {@link TableOptions#filterKey()} picks. Blocks of another filter policy and other meta blocks
 * are ignored, as LevelDB ignores ours.
 *
 * <p>The file is opened with {@link Storage#openMapped}: memory-mapped where the storage can
 * (the default file system, files under 2 GiB). The uncompressed data blocks of a mapped table do
 * not go through the block cache ({@link MappedBlocks}, as LevelDB does for tables it maps): each
 * read copies the block out of the mapping into a buffer the reader reuses (each thread's for
 * lookups; for an iterator, one borrowed from a per-thread pool while it is open), computes its
 * checksum (an error on a mismatch with the trailer when verification is asked), and walks it
 * with {@link DataBlockCheck} only the first time (per open table) bytes of that checksum are
 * seen; the cache then costs nothing and holds nothing for mapped tables, and a lookup or a scan
 * step allocates nothing for blocks. A block is copied rather than kept as a view of the mapping: a
 * heap array is what the parsers and the JIT handle best, and no block can outlive the mapping,
 * which closing the table unmaps at once. Compressed blocks, and every block of a table that is
 * not mapped (jimfs, 2 GiB or more, a mapping that failed), are read into a heap array of their
 * own and kept in the cache as before; {@code fillCache} off reads them without adding them
 * (LevelDB's {@code fill_cache}, for scans that should not push hot blocks out).
 *
 * <p>Lookups allocate little: {@link #lookup} and {@link #get} run on two iterators each thread
 * keeps for them, keys are compared in place ({@link KeyOrder}), and the filter is probed with
 * the key's prefix where {@link FilterKey#prefixLength} allows.
 *
 * <p>Thread-safe: lookups and iterators may run on many threads at once; each iterator is used by
 * one thread. Closing while reads run makes them fail with an {@link IOException}.
 */
public final class TableReader implements Closeable {
    private final RandomReadFile file;
    private final String name;
    private final TableOptions options;
    private final BlockCache cache;
    private final long tableId;
    private final long fileSize;
    private final BlockReader blocks;
    private final Footer footer;
    private final Block index;
    private final FilterBlockReader filter;
    private final BlockHandle propertiesHandle;
    private final LongAdder dataBlockReads = new LongAdder();
    private final KeyOrder keyOrder;
    /** Serves data blocks from the mapping; null when the file is not mapped. */
    private final MappedBlocks mapped;

    /**
     * What {@link #lookup} returns for a deletion: this array itself (compare with {@code ==}),
     * never a value, since values are returned as fresh arrays.
     */
    public static final byte[] TOMBSTONE = new byte[0];

    /** Each thread's two iterators for lookups, reused so that a lookup allocates none. */
    private static final ThreadLocal<Probe> PROBE = ThreadLocal.withInitial(Probe::new);

    private TableReader(RandomReadFile file, String name, long fileSize, TableOptions options, BlockCache cache,
            long tableId) throws IOException {
        this.file = file;
        this.options = options;
        this.cache = cache;
        this.tableId = tableId;
        this.keyOrder = options.keyOrder();
        this.fileSize = fileSize;
        if (fileSize < SstableFormat.FOOTER_SIZE) {
            throw new CorruptionException(name, 0, "file of " + fileSize + " bytes is too short to be a table");
        }
        long footerOffset = fileSize - SstableFormat.FOOTER_SIZE;
        this.name = name;
        this.blocks = new BlockReader(file, name, footerOffset, options.maxBlockSize());
        byte[] footerBytes = new byte[SstableFormat.FOOTER_SIZE];
        blocks.readFully(footerOffset, footerBytes, footerOffset);
        try {
            this.footer = Footer.decode(footerBytes);
        } catch (CorruptionException e) {
            throw e.locatedAt(name, footerOffset);
        }
        this.index = blocks.read(footer.index(), true, "index block");
        Block metaindex = blocks.read(footer.metaindex(), true, "metaindex block");
        BlockHandle filterHandle = null;
        BlockHandle properties = null;
        BlockIterator meta = metaindex.iterator(java.util.Arrays::compareUnsigned);
        for (meta.seekToFirst(); meta.isValid(); meta.next()) {
            String key = new String(meta.key(), StandardCharsets.ISO_8859_1);
            if (key.equals(SstableFormat.FILTER_META_KEY)) {
                filterHandle = handleIn(metaindex, meta.value(), "metaindex entry " + key);
            } else if (key.equals(SstableFormat.PROPERTIES_META_KEY)) {
                properties = handleIn(metaindex, meta.value(), "metaindex entry " + key);
            }
        }
        this.filter = filterHandle == null ? null
                : new FilterBlockReader(blocks.readContents(filterHandle, true, "filter block"), filterHandle.offset());
        this.propertiesHandle = properties;
        TableProblems problems = TableProblems.throwing(name);
        if (filter != null) {
            filter.checkFilters(problems);
        }
        int dataBlocks = IndexCheck.checkAll(options, index, IndexCheck.dataEnd(footer, filterHandle, properties),
                filter, problems);
        this.mapped = !blocks.mapped() ? null : new MappedBlocks(blocks, options, name, cache,
                index.restartCount() == dataBlocks ? new CheckedBlocks(dataBlocks) : null);
    }

    /**
     * Opens the table at {@code path}. {@code fileSize} is its size as recorded elsewhere (the
     * MANIFEST), or -1 to ask the storage. {@code tableId} keys its blocks in {@code cache}. A
     * damaged footer, index, metaindex or filter block is a {@link CorruptionException}; the file
     * is closed again on any failure.
     */
    public static TableReader open(Storage storage, Path path, long fileSize, TableOptions options, BlockCache cache,
            long tableId) throws IOException {
        Preconditions.checkNotNull(options, "options");
        Preconditions.checkNotNull(cache, "cache");
        RandomReadFile file = storage.openMapped(path);
        try {
            long size = fileSize >= 0 ? fileSize : file.size();
            return new TableReader(file, path.toString(), size, options, cache, tableId);
        } catch (IOException | RuntimeException e) {
            try {
                file.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Opens {@code path} at its current size, without a block cache. */
    public static TableReader open(Storage storage, Path path, TableOptions options) throws IOException {
        return open(storage, path, -1, options, BlockCache.NONE, 0);
    }

    /** {@link #get(byte[], boolean)} with the options' checksum setting. */
    public TableEntry get(byte[] key) throws IOException {
        return get(key, options.verifyChecksums());
    }

    /**
     * The first entry whose key is at or after {@code key}, or null when there is none. Also
     * null, without reading a data block, when the filter shows that no entry has the filter key
     * of {@code key} (its user key, for internal keys): callers look up a user key and only care
     * about entries of that user key.
     */
    public TableEntry get(byte[] key, boolean verifyChecksums) throws IOException {
        Probe probe = PROBE.get();
        try {
            BlockIterator found = position(probe, key, verifyChecksums);
            return found == null ? null : new TableEntry(found.key(), found.value());
        } finally {
            probe.release();
        }
    }

    /**
     * For a table of internal keys, what it says of the user key of {@code internalKey} at that
     * key's sequence: the value of the first entry at or after {@code internalKey} when that entry
     * has the same user key and is a put (a fresh array), {@link #TOMBSTONE} (compare by identity)
     * when it is a deletion, and null when the table holds no entry of that user key at or before
     * the sequence. The filter is probed before any data block is touched, and keys are compared
     * where they lie: a lookup allocates the value it returns and nothing else, unless it reads a
     * block of a table that is not mapped (or a compressed one) from the file, or the key order is
     * not bytewise. A mapped table's block is read into this thread's buffer, not allocated.
     */
    public byte[] lookup(byte[] internalKey, boolean verifyChecksums) throws IOException {
        Preconditions.checkState(options.internalKeys(), "lookup is for tables of internal keys");
        Preconditions.checkArgument(internalKey.length >= InternalKey.TRAILER_SIZE,
                "internal key of %s bytes is shorter than its trailer", internalKey.length);
        Probe probe = PROBE.get();
        try {
            BlockIterator found = position(probe, internalKey, verifyChecksums);
            if (found == null) {
                return null;
            }
            byte[] key = found.keyBuffer();
            int length = found.keyLength();
            if (!keyOrder.sameUserKey(key, 0, length, internalKey)) {
                return null;
            }
            // DataBlockCheck passed every key of the block: the type is PUT or DELETE.
            return (key[length - InternalKey.TRAILER_SIZE] & 0xff) == ValueType.PUT.code() ? found.value() : TOMBSTONE;
        } finally {
            probe.release();
        }
    }

    /**
     * Positions {@code probe}'s data iterator on the first entry at or after {@code key} and
     * returns it, or null when there is none or the filter rules the key out.
     */
    private BlockIterator position(Probe probe, byte[] key, boolean verifyChecksums) throws IOException {
        BlockIterator indexIterator = probe.index;
        indexIterator.reset(index, keyOrder);
        indexIterator.seek(key);
        if (!indexIterator.isValid()) {
            return null;
        }
        indexIterator.decodeHandle("index entry");
        if (filter != null && !mayContain(indexIterator.handleOffset(), key)) {
            return null;
        }
        BlockIterator data = probe.data;
        while (true) {
            data.reset(dataBlock(indexIterator, verifyChecksums, probe.buffer, true), keyOrder);
            data.seek(key);
            if (data.isValid()) {
                return data;
            }
            indexIterator.next();
            if (!indexIterator.isValid()) {
                return null;
            }
            indexIterator.decodeHandle("index entry");
        }
    }

    /** The filter's answer for the filter key of {@code key} in the data block at {@code blockOffset}. */
    private boolean mayContain(long blockOffset, byte[] key) {
        int prefix = options.filterKey().prefixLength(key);
        return prefix >= 0 ? filter.mayContain(blockOffset, key, prefix)
                : filter.mayContain(blockOffset, options.filterKey().of(key));
    }

    /** {@link #iterator(boolean)} with the options' checksum setting. */
    public InternalIterator iterator() {
        return iterator(options.verifyChecksums());
    }

    /** {@link #iterator(boolean, boolean)} that adds the blocks it reads to the cache. */
    public InternalIterator iterator(boolean verifyChecksums) {
        return iterator(verifyChecksums, true);
    }

    /**
     * A new iterator over every entry in key order, both ways. Its keys and values are fresh
     * arrays the caller keeps; its views ({@code keyView}, {@code valueView}) are valid until it
     * next moves (a mapped table's blocks are read into a buffer the iterator reuses). With
     * {@code fillCache} off, blocks it reads from the file do not enter the cache (a cached block
     * is still used). Not thread-safe itself; close it when done.
     */
    public InternalIterator iterator(boolean verifyChecksums, boolean fillCache) {
        return new TableIterator(this, verifyChecksums, fillCache);
    }

    /** The properties block, when the table has one (tables written by LevelDB do not). */
    public Optional<TableProperties> properties() throws IOException {
        if (propertiesHandle == null) {
            return Optional.empty();
        }
        return Optional.of(TableProperties.readFrom(blocks.read(propertiesHandle, true, "properties block")));
    }

    /** Whether the table has a filter block this reader uses. */
    public boolean hasFilter() {
        return filter != null;
    }

    /**
     * The bytes this open table keeps in memory for its whole life: its index and filter blocks,
     * read once when it was opened (as LevelDB keeps them), and for a mapped table the record of
     * its checked blocks ({@link CheckedBlocks}), outside any block cache.
     */
    public long memoryBytes() {
        return index.size() + (filter == null ? 0 : filter.size()) + (mapped == null ? 0 : mapped.memoryBytes());
    }

    /** Whether data blocks are read from a memory mapping of the file, without the block cache. */
    public boolean isMapped() {
        return mapped != null;
    }

    /** The table's size in bytes. */
    public long fileSize() {
        return fileSize;
    }

    /** About where in the file the entries at {@code key} start (the metaindex offset past the end). */
    public long approximateOffsetOf(byte[] key) throws IOException {
        BlockIterator indexIterator = index.iterator(keyOrder);
        indexIterator.seek(key);
        if (!indexIterator.isValid()) {
            return footer.metaindex().offset();
        }
        indexIterator.decodeHandle("index entry");
        return indexIterator.handleOffset();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    TableOptions options() {
        return options;
    }

    Block indexBlock() {
        return index;
    }

    /**
     * The data block of the handle {@code indexEntry} (an iterator over the index block) decoded
     * last. For a mapped table, an uncompressed block is loaded into {@code buffer} and served
     * from there ({@link MappedBlocks}; valid until the next load into {@code buffer}). Otherwise
     * it comes from the cache when the cache holds one checked well enough, or is read from the
     * file, passes {@link DataBlockCheck} against the keys of its index entry and the one before,
     * and is cached when {@code fillCache} says so.
     */
    Block dataBlock(BlockIterator indexEntry, boolean verifyChecksums, BlockBuffer buffer, boolean fillCache)
            throws IOException {
        if (mapped != null) {
            Block block = mapped.serve(indexEntry, verifyChecksums, buffer);
            if (block != null) {
                dataBlockReads.increment();
                return block;
            }
        }
        long offset = indexEntry.handleOffset();
        Block cached = cache.get(tableId, offset);
        if (cached != null && (cached.checksumVerified() || !verifyChecksums)) {
            return cached;
        }
        dataBlockReads.increment();
        Block block = blocks.read(indexEntry.handle(), verifyChecksums, "data block");
        DataBlockCheck.check(block, options, indexEntry.previousKey(), indexEntry.key(), name);
        if (fillCache) {
            cache.put(tableId, offset, block);
        }
        return block;
    }

    /**
     * Decodes the handle at the start of the value of an entry of {@code block}. Bytes after the
     * handle are ignored, as LevelDB ignores them: iq80's writer pads index values to 20 bytes.
     */
    static BlockHandle handleIn(Block block, byte[] value, String what) throws CorruptionException {
        try {
            return BlockHandle.decodeFrom(io.netty.buffer.Unpooled.wrappedBuffer(value));
        } catch (CorruptionException e) {
            throw block.corruption(what + " holds a malformed block handle: " + e.reason());
        }
    }

    /**
     * A thread's iterators for lookups: pointed at a table's blocks for one lookup, released after
     * it (so that no block stays reachable from the thread), their key buffers kept.
     */
    private static final class Probe {
        final BlockIterator index = new BlockIterator(null, (KeyOrder) null);
        final BlockIterator data = new BlockIterator(null, (KeyOrder) null);
        final BlockBuffer buffer = new BlockBuffer();

        void release() {
            index.release();
            data.release();
            buffer.trim();
        }
    }

    /** Data blocks read from the file (from the mapping, or into a block of their own): not cache hits. */
    @VisibleForTesting
    long dataBlockReads() {
        return dataBlockReads.sum();
    }

    /** How many times a data block was walked by {@link DataBlockCheck} when served from the mapping. */
    @VisibleForTesting
    long mappedBlockWalks() {
        return mapped == null ? 0 : mapped.walks();
    }
}
