package org.lsmtree.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through its JNI binding, with every shared knob: write buffer, block size, bloom bits,
 * an 8 MiB LRU block cache, no compression, L1 target 10 MiB and 2 MiB files. Everything else is
 * RocksDB's default (two background jobs among them).
 */
final class RocksDbEngine implements BenchEngine {
    static {
        RocksDB.loadLibrary();
    }

    private final LRUCache cache;
    private final BloomFilter filter;
    private final Options options;
    private final WriteOptions noSync;
    private final WriteOptions sync;
    private final RocksDB db;

    RocksDbEngine(Path directory, BenchSettings settings) throws IOException {
        cache = new LRUCache(BenchSettings.BLOCK_CACHE_BYTES);
        filter = new BloomFilter(BenchSettings.BLOOM_BITS_PER_KEY);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setBlockSize(BenchSettings.BLOCK_BYTES)
                .setFilterPolicy(filter);
        options = new Options().setCreateIfMissing(true)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(BenchSettings.WRITE_BUFFER_BYTES)
                .setMaxBytesForLevelBase(BenchSettings.L1_TARGET_BYTES)
                .setTargetFileSizeBase(BenchSettings.FILE_BYTES)
                .setTableFormatConfig(table);
        noSync = new WriteOptions().setSync(false);
        sync = new WriteOptions().setSync(true);
        try {
            db = RocksDB.open(options, directory.toString());
        } catch (RocksDBException e) {
            closeOptions();
            throw failure(e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value, boolean synced) throws IOException {
        try {
            db.put(synced ? sync : noSync, key, value);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    @Override
    public void delete(byte[] key) throws IOException {
        try {
            db.delete(noSync, key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    @Override
    public long scanForward() {
        long count = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                it.value();
                count++;
            }
        }
        return count;
    }

    @Override
    public long scanReverse() {
        long count = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToLast(); it.isValid(); it.prev()) {
                it.value();
                count++;
            }
        }
        return count;
    }

    @Override
    public Cursor cursor() {
        RocksIterator it = db.newIterator();
        return new Cursor() {
            @Override
            public boolean seek(byte[] target) {
                it.seek(target);
                return it.isValid() && Arrays.equals(it.key(), target);
            }

            @Override
            public int read(int count) {
                int read = 0;
                while (read < count && it.isValid()) {
                    it.value();
                    read++;
                    it.next();
                }
                return read;
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }

    @Override
    public void compactAll() throws IOException {
        try {
            db.compactRange();
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    @Override
    public void settle() throws IOException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        try {
            while (db.getLongProperty("rocksdb.num-running-flushes") > 0
                    || db.getLongProperty("rocksdb.num-running-compactions") > 0
                    || db.getLongProperty("rocksdb.mem-table-flush-pending") > 0
                    || db.getLongProperty("rocksdb.compaction-pending") > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("rocksdb: background work still running after 10 minutes");
                }
                Thread.sleep(20);
            }
        } catch (RocksDBException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("rocksdb: interrupted while waiting for background work", e);
        }
    }

    @Override
    public void close() {
        db.close();
        closeOptions();
    }

    private void closeOptions() {
        sync.close();
        noSync.close();
        options.close();
        filter.close();
        cache.close();
    }

    private static IOException failure(RocksDBException e) {
        return new IOException("rocksdb: " + e.getMessage(), e);
    }
}
