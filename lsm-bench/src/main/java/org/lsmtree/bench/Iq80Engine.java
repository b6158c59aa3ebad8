package org.lsmtree.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.impl.Iq80DBFactory;

/**
 * The pure-Java LevelDB port (iq80 0.12), with the shared knobs it has: write buffer, block size,
 * an 8 MiB block cache, no compression. It has no bloom filter; its L1 target and file size are
 * LevelDB's fixed 10 MiB and 2 MiB.
 */
final class Iq80Engine implements BenchEngine {
    private final DB db;
    private final WriteOptions noSync = new WriteOptions().sync(false);
    private final WriteOptions sync = new WriteOptions().sync(true);

    Iq80Engine(Path directory, BenchSettings settings) throws IOException {
        db = Iq80DBFactory.factory.open(directory.toFile(), new org.iq80.leveldb.Options()
                .createIfMissing(true)
                .compressionType(CompressionType.NONE)
                .writeBufferSize((int) BenchSettings.WRITE_BUFFER_BYTES)
                .blockSize(BenchSettings.BLOCK_BYTES)
                .cacheSize(BenchSettings.BLOCK_CACHE_BYTES));
    }

    @Override
    public void put(byte[] key, byte[] value, boolean synced) {
        db.put(key, value, synced ? sync : noSync);
    }

    @Override
    public void delete(byte[] key) {
        db.delete(key, noSync);
    }

    @Override
    public byte[] get(byte[] key) {
        return db.get(key);
    }

    @Override
    public long scanForward() throws IOException {
        long count = 0;
        try (DBIterator it = db.iterator()) {
            for (it.seekToFirst(); it.hasNext(); ) {
                it.next().getValue();
                count++;
            }
        }
        return count;
    }

    @Override
    public long scanReverse() throws IOException {
        long count = 0;
        try (DBIterator it = db.iterator()) {
            for (it.seekToLast(); it.hasPrev(); ) {
                it.prev().getValue();
                count++;
            }
        }
        return count;
    }

    @Override
    public Cursor cursor() {
        DBIterator it = db.iterator();
        return new Cursor() {
            @Override
            public boolean seek(byte[] target) {
                it.seek(target);
                return it.hasNext() && Arrays.equals(it.peekNext().getKey(), target);
            }

            @Override
            public int read(int count) {
                int read = 0;
                while (read < count && it.hasNext()) {
                    Map.Entry<byte[], byte[]> entry = it.next();
                    entry.getValue();
                    read++;
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
    public void compactAll() {
        db.compactRange(null, null);
    }

    @Override
    public void settle() throws IOException {
        try {
            db.suspendCompactions(); // returns once the compaction thread has finished what it had
            db.resumeCompactions();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("leveldb: interrupted while waiting for background work", e);
        }
    }

    @Override
    public void close() throws IOException {
        db.close();
    }
}
