package org.lsmtree.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.ReadOptions;
import org.lsmtree.engine.WriteOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One engine under measurement, behind the few calls the workloads make. Every engine runs with
 * the same settings where they have them: no compression, a 4 MiB write buffer, writes not
 * synced (as db_bench's default), bloom filters of 10 bits per key where the engine has them.
 */
interface BenchEngine extends AutoCloseable {

    String name();

    void put(byte[] key, byte[] value) throws IOException;

    byte[] get(byte[] key) throws IOException;

    /** Walks every entry in key order; returns how many there were. */
    long scan() throws IOException;

    @Override
    void close() throws IOException;

    /** The engines that can be measured, by name. */
    enum Kind {
        LSMTREE("lsmtree"), ROCKSDB("rocksdb"), IQ80("iq80");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        BenchEngine open(Path directory) throws IOException {
            return switch (this) {
                case LSMTREE -> new LsmTree(directory);
                case ROCKSDB -> new Rocks(directory);
                case IQ80 -> new Iq80(directory);
            };
        }

        static Kind of(String label) {
            for (Kind kind : values()) {
                if (kind.label.equals(label)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown engine '" + label + "' (lsmtree, rocksdb, iq80)");
        }
    }

    /** Ours. */
    final class LsmTree implements BenchEngine {
        private final Db db;

        LsmTree(Path directory) throws IOException {
            db = Db.open(directory, Options.defaults().withWriteBufferSize(4 << 20));
        }

        @Override
        public String name() {
            return "lsmtree";
        }

        @Override
        public void put(byte[] key, byte[] value) throws IOException {
            db.put(key, value, WriteOptions.noSync());
        }

        @Override
        public byte[] get(byte[] key) throws IOException {
            return db.get(key);
        }

        @Override
        public long scan() throws IOException {
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
        public void close() throws IOException {
            db.close();
        }
    }

    /** RocksDB through its JNI binding. */
    final class Rocks implements BenchEngine {
        static {
            RocksDB.loadLibrary();
        }

        private final org.rocksdb.Options options;
        private final org.rocksdb.BlockBasedTableConfig table;
        private final RocksDB db;

        Rocks(Path directory) throws IOException {
            table = new org.rocksdb.BlockBasedTableConfig().setFilterPolicy(new org.rocksdb.BloomFilter(10));
            options = new org.rocksdb.Options().setCreateIfMissing(true)
                    .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION)
                    .setWriteBufferSize(4 << 20)
                    .setTableFormatConfig(table);
            try {
                db = RocksDB.open(options, directory.toString());
            } catch (RocksDBException e) {
                options.close();
                throw new IOException("rocksdb: " + e.getMessage(), e);
            }
        }

        @Override
        public String name() {
            return "rocksdb";
        }

        @Override
        public void put(byte[] key, byte[] value) throws IOException {
            try {
                db.put(key, value);
            } catch (RocksDBException e) {
                throw new IOException("rocksdb: " + e.getMessage(), e);
            }
        }

        @Override
        public byte[] get(byte[] key) throws IOException {
            try {
                return db.get(key);
            } catch (RocksDBException e) {
                throw new IOException("rocksdb: " + e.getMessage(), e);
            }
        }

        @Override
        public long scan() {
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
        public void close() {
            db.close();
            options.close();
        }
    }

    /** The pure-Java LevelDB port. */
    final class Iq80 implements BenchEngine {
        private final DB db;

        Iq80(Path directory) throws IOException {
            db = Iq80DBFactory.factory.open(directory.toFile(), new org.iq80.leveldb.Options().createIfMissing(true)
                    .compressionType(CompressionType.NONE).writeBufferSize(4 << 20));
        }

        @Override
        public String name() {
            return "iq80";
        }

        @Override
        public void put(byte[] key, byte[] value) {
            db.put(key, value);
        }

        @Override
        public byte[] get(byte[] key) {
            return db.get(key);
        }

        @Override
        public long scan() throws IOException {
            long count = 0;
            try (DBIterator it = db.iterator()) {
                for (it.seekToFirst(); it.hasNext(); ) {
                    it.next();
                    count++;
                }
            }
            return count;
        }

        @Override
        public void close() throws IOException {
            db.close();
        }
    }
}
