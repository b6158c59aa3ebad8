package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.sstable.Compression;
import org.lsmtree.sstable.TableBuilder;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;

/**
 * The engine's tables in LevelDB's table format ({@code lsm-sstable}): internal keys ordered by
 * the store's comparator, bloom filters over user keys, the store's block size, restart interval
<<<<<<< HEAD
 * and compression; a finished table is read back and checked ({@link OutputCheck}) unless
 * {@link Options#paranoidFileChecks()} is off. Thread-safe.
=======
 * and compression. Tables read their data blocks through the store's view of the {@link BlockCache};
 * each open table keeps its index and filter blocks itself, counted in {@link #describeCache}.
 * Table files are memory-mapped where the storage can ({@code Storage.openMapped}). Thread-safe.
>>>>>>> sstread
 */
final class SstableTables implements TableFormat {
    private final Storage storage;
    private final TableOptions tableOptions;
    private final boolean legacyNames;
    private final boolean checkOutputs;
    private final BlockCache cache;
    /** This store's view of the cache: its own keys, whoever else shares the cache. */
    private final org.lsmtree.sstable.BlockCache blocks;
    /** Bytes of index and filter blocks the open tables hold, and how many tables are open. */
    private final AtomicLong tableMemory = new AtomicLong();
    private final AtomicInteger openTables = new AtomicInteger();

    SstableTables(Storage storage, Options options) {
        this.storage = storage;
        this.cache = options.blockCache() != null ? options.blockCache() : BlockCache.ofBytes(options.blockCacheSize());
        this.blocks = cache.forStore();
        this.legacyNames = options.legacyTableFileNames();
        this.checkOutputs = options.paranoidFileChecks();
        this.tableOptions = TableOptions.forInternalKeys(options.comparator())
                .withBlockSize(options.blockSize())
                .withRestartInterval(options.blockRestartInterval())
                .withBloomBitsPerKey(options.bloomBitsPerKey())
                .withCompression(options.compression() == Options.Compression.SNAPPY ? Compression.SNAPPY : Compression.NONE)
                .withVerifyChecksums(options.verifyChecksums())
                // A data block holds up to one block size of entries beside the largest entry a batch may carry.
                .withMaxBlockSize((int) Math.min(Integer.MAX_VALUE,
                        options.maxRecordSize() + Math.max(1L << 20, options.blockSize())));
    }

    /**
     * The block cache's line, then what the open tables hold outside it: their index and filter
     * blocks, read when a table opens and kept with it until it closes (as LevelDB does), so a
     * lookup never reads them again.
     */
    @Override
    public String describeCache() {
        return cache.describe() + "; index and filter blocks: " + tableMemory.get() + " bytes in "
                + openTables.get() + " open tables (outside the cache)";
    }

    @Override
    public long cacheBytes() {
        return cache.usedBytes() + tableMemory.get();
    }

    @Override
    public Path fileFor(Path directory, long number) {
        return legacyNames ? FileNames.legacyTableFile(directory, number) : FileNames.tableFile(directory, number);
    }

    @Override
    public TableSink create(Path file) throws IOException {
        WritableFile out = storage.create(file);
        return new TableSink() {
            private final TableBuilder builder = new TableBuilder(out, tableOptions);
            private final OutputCheck check = checkOutputs ? new OutputCheck() : null;
            private boolean closed;

            @Override
            public void add(Slice internalKey, Slice value) throws IOException {
                builder.add(internalKey, value);
                if (check != null) {
                    check.added(internalKey, value);
                }
            }

            @Override
            public long estimatedSize() {
                return builder.estimatedSize();
            }

            @Override
            public long finish() throws IOException {
                long size = builder.finish();
                out.sync();
                closed = true;
                out.close();
                if (check != null) {
                    check.verify(storage, file, size, tableOptions);
                }
                return size;
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    builder.abandon();
                    out.close();
                }
            }
        };
    }

    @Override
    public TableSource open(Path file, long number, long size) throws IOException {
        TableReader reader = TableReader.open(storage, file, size, tableOptions, blocks, number);
        long memory = reader.memoryBytes();
        tableMemory.addAndGet(memory);
        openTables.incrementAndGet();
        return new TableSource() {
            private boolean closed;

            @Override
            public byte[] lookup(byte[] internalKey, boolean verifyChecksums) throws IOException {
                byte[] value = reader.lookup(internalKey, verifyChecksums);
                return value == TableReader.TOMBSTONE ? TOMBSTONE : value;
            }

            @Override
            public InternalIterator iterator(boolean verifyChecksums) {
                return reader.iterator(verifyChecksums);
            }

            @Override
            public long recordedEntries() throws IOException {
                return reader.properties().map(org.lsmtree.sstable.TableProperties::entries).orElse(-1L);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    tableMemory.addAndGet(-memory);
                    openTables.decrementAndGet();
                }
                reader.close();
            }
        };
    }
}
