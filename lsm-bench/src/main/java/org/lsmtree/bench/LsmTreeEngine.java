package org.lsmtree.bench;

import java.io.IOException;
import java.util.Arrays;
import java.nio.file.Path;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.ReadOptions;
import org.lsmtree.engine.WriteOptions;

/**
 * Ours, with every shared knob: write buffer, block size, bloom bits, block cache, no
 * compression, L1 target and file size; flushes and leveled compactions run on the store's own
 * background threads, and {@link #settle()} waits for them.
 */
final class LsmTreeEngine implements BenchEngine {
    private final Db db;

    LsmTreeEngine(Path directory, BenchSettings settings) throws IOException {
        this(directory, BenchSettings.BLOCK_CACHE_BYTES);
    }

    /** The same knobs with a block cache of {@code blockCacheBytes} ({@link ReadAllocations} sizes it to hold every block). */
    LsmTreeEngine(Path directory, long blockCacheBytes) throws IOException {
        db = Db.open(directory, Options.defaults()
                .withWriteBufferSize(BenchSettings.WRITE_BUFFER_BYTES)
                .withBlockSize(BenchSettings.BLOCK_BYTES)
                .withBloomBitsPerKey(BenchSettings.BLOOM_BITS_PER_KEY)
                .withCompression(Options.Compression.NONE)
                .withBlockCacheSize(blockCacheBytes)
                .withLevelSizes(BenchSettings.L1_TARGET_BYTES, 10)
                .withTargetFileSize(BenchSettings.FILE_BYTES));
    }

    Db db() {
        return db;
    }

    @Override
    public void put(byte[] key, byte[] value, boolean sync) throws IOException {
        db.put(key, value, sync ? WriteOptions.sync() : WriteOptions.noSync());
    }

    @Override
    public void delete(byte[] key) throws IOException {
        db.delete(key, WriteOptions.noSync());
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        return db.get(key);
    }

    @Override
    public long scanForward() throws IOException {
        long count = 0;
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                it.value();
                count++;
            }
        }
        return count;
    }

    @Override
    public long scanReverse() throws IOException {
        long count = 0;
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seekToLast(); it.isValid(); it.prev()) {
                it.value();
                count++;
            }
        }
        return count;
    }

    @Override
    public Cursor cursor() throws IOException {
        DbIterator it = db.iterator(ReadOptions.defaults());
        return new Cursor() {
            @Override
            public boolean seek(byte[] target) throws IOException {
                it.seek(target);
                return it.isValid() && Arrays.equals(it.key(), target);
            }

            @Override
            public int read(int count) throws IOException {
                int read = 0;
                while (read < count && it.isValid()) {
                    it.value();
                    read++;
                    it.next();
                }
                return read;
            }

            @Override
            public void close() throws IOException {
                it.close();
            }
        };
    }

    @Override
    public void compactAll() throws IOException {
        db.compactRange(null, null);
    }

    @Override
    public void settle() throws IOException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (!"0".equals(db.property("lsm.mem-table-flush-pending"))
                || !"0".equals(db.property("lsm.compaction-pending"))) {
            String error = db.property("lsm.background-error");
            if (!error.isEmpty()) {
                throw new IOException("lsmtree: background work failed: " + error);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("lsmtree: background work still running after 10 minutes");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("lsmtree: interrupted while waiting for background work", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        db.close();
    }
}
