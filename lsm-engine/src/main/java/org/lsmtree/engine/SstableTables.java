package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.sstable.Compression;
import org.lsmtree.sstable.TableBuilder;
import org.lsmtree.sstable.TableEntry;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;

/**
 * The engine's tables in LevelDB's table format ({@code lsm-sstable}): internal keys ordered by
 * the store's comparator, bloom filters over user keys, the store's block size, restart interval
 * and compression. Tables are opened without a block cache until the caching issue adds one.
 * Thread-safe.
 */
final class SstableTables implements TableFormat {
    private final Storage storage;
    private final TableOptions tableOptions;
    private final boolean legacyNames;
    private final BlockCache cache;
    /** This store's view of the cache: its own keys, whoever else shares the cache. */
    private final org.lsmtree.sstable.BlockCache blocks;

    SstableTables(Storage storage, Options options) {
        this.storage = storage;
        this.cache = options.blockCache() != null ? options.blockCache() : BlockCache.ofBytes(options.blockCacheSize());
        this.blocks = cache.forStore();
        this.legacyNames = options.legacyTableFileNames();
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

    @Override
    public String describeCache() {
        return cache.describe();
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
            private boolean closed;

            @Override
            public void add(byte[] internalKey, byte[] value) throws IOException {
                builder.add(internalKey, value);
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
        return new TableSource() {
            @Override
            public Entry seek(byte[] internalKey, byte[] userKey, boolean verifyChecksums) throws IOException {
                TableEntry entry = reader.get(internalKey, verifyChecksums);
                return entry == null ? null : new Entry(entry.key(), entry.value());
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
                reader.close();
            }
        };
    }
}
