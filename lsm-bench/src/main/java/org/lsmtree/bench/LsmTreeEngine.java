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
 * Ours, with the shared knobs it has: write buffer, block size, bloom bits, no compression
 * (compaction output files are cut at 2 MiB by the engine itself). It has no block cache and no
 * background compaction yet (see {@link EngineKind#LSMTREE}); flushes run on the writing thread.
 */
final class LsmTreeEngine implements BenchEngine {
    private final Db db;

    LsmTreeEngine(Path directory, BenchSettings settings) throws IOException {
        db = Db.open(directory, Options.defaults()
                .withWriteBufferSize(BenchSettings.WRITE_BUFFER_BYTES)
                .withBlockSize(BenchSettings.BLOCK_BYTES)
                .withBloomBitsPerKey(BenchSettings.BLOOM_BITS_PER_KEY)
                .withCompression(Options.Compression.NONE));
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
    public void settle() {
        // Flushes run on the writing thread and nothing compacts in the background: already still.
    }

    @Override
    public void close() throws IOException {
        db.close();
    }
}
