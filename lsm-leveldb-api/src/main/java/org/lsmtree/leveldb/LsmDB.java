package org.lsmtree.leveldb;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Range;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.format.key.UserComparator;

/**
 * The LevelDB-API {@link DB} over our engine's {@link Db}; {@link LsmDBFactory#open} makes one.
 *
 * <p>Writes: without {@link WriteOptions}, and with {@code sync(false)} (the API's default), a
 * write is not synced: it survives a crash of the process, not of the machine, as in LevelDB.
 * With {@code snapshot(true)} the write returns a {@link Snapshot} taken right after it: one that
 * sees this write, and possibly writes of other threads that landed in between.
 *
 * <p>Reads: {@link ReadOptions#snapshot()} must be a snapshot of this store;
 * {@code verifyChecksums(true)} checks every block read against its checksum (the store's
 * {@code verifyChecksums} option, on by default, already does); {@code fillCache(false)} keeps an
 * iterator's blocks out of the block cache (the engine's {@code ReadOptions.withFillCache}; point
 * reads always fill it, and blocks of memory-mapped tables never enter it).
 *
 * <p>Failures of the store (I/O errors, damaged files) are {@link DBException}s whose cause is the
 * engine's {@link IOException}, naming the file; use after {@link #close()} is an
 * {@link IllegalStateException}. Thread-safe, as the engine is; the iterators it returns are not.
 */
final class LsmDB implements DB {
    private static final org.lsmtree.engine.WriteOptions UNSYNCED = org.lsmtree.engine.WriteOptions.noSync();

    private final Db db;
    private final UserComparator comparator;
    private final InfoLog log;
    private final CompactionGate compactions = new CompactionGate();
    private volatile boolean closed;

    LsmDB(Db db, UserComparator comparator, InfoLog log) {
        this.db = db;
        this.comparator = comparator;
        this.log = log;
    }

    @Override
    public byte[] get(byte[] key) {
        checkNotNull(key, "key");
        return DBExceptions.call("get", () -> db.get(key));
    }

    @Override
    public byte[] get(byte[] key, ReadOptions options) {
        checkNotNull(key, "key");
        org.lsmtree.engine.ReadOptions mapped = toEngine(options);
        return DBExceptions.call("get", () -> db.get(key, mapped));
    }

    /**
     * An iterator over the store as it is now, standing before the first entry; close it (a
     * for-each loop over the store does not, and its iterator keeps its tables until the store closes).
     */
    @Override
    public DBIterator iterator() {
        return iterator(new ReadOptions());
    }

    /** An iterator over the store (at the options' snapshot, if any), before the first entry; close it. */
    @Override
    public DBIterator iterator(ReadOptions options) {
        org.lsmtree.engine.ReadOptions mapped = toEngine(options);
        DbIterator entries = DBExceptions.call("iterator", () -> db.iterator(mapped));
        try {
            return new LsmDBIterator(entries, () -> closed);
        } catch (RuntimeException e) {
            DBExceptions.run("iterator close", entries::close);
            throw e;
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        put(key, value, new WriteOptions());
    }

    @Override
    public void delete(byte[] key) {
        delete(key, new WriteOptions());
    }

    @Override
    public void write(WriteBatch batch) {
        write(batch, new WriteOptions());
    }

    @Override
    public WriteBatch createWriteBatch() {
        return new LsmWriteBatch();
    }

    @Override
    public Snapshot put(byte[] key, byte[] value, WriteOptions options) {
        return write(new org.lsmtree.wal.WriteBatch().put(key, value), options);
    }

    @Override
    public Snapshot delete(byte[] key, WriteOptions options) {
        return write(new org.lsmtree.wal.WriteBatch().delete(key), options);
    }

    @Override
    public Snapshot write(WriteBatch batch, WriteOptions options) {
        checkNotNull(batch, "batch");
        checkArgument(batch instanceof LsmWriteBatch, "write batch %s was not made by this store's createWriteBatch()",
                batch);
        return write(((LsmWriteBatch) batch).engineBatch(), options);
    }

    private Snapshot write(org.lsmtree.wal.WriteBatch batch, WriteOptions options) {
        checkNotNull(options, "options");
        DBExceptions.run("write", () -> db.write(batch, options.sync() ? org.lsmtree.engine.WriteOptions.sync() : UNSYNCED));
        return options.snapshot() ? getSnapshot() : null;
    }

    @Override
    public Snapshot getSnapshot() {
        return new LsmSnapshot(db.snapshot());
    }

    /**
     * For each range {@code [start, limit)}, the bytes of the keys and values that live in it now,
     * counted by reading them: the size of the data, uncompressed, memtable included, each key's
     * newest value only. LevelDB instead gives the bytes of table files the range spans (compressed
     * where the tables are, older versions and tombstones included, memtable left out); the engine
     * has no public way to locate a key within its tables yet. The cost is a scan of each range.
     */
    @Override
    public long[] getApproximateSizes(Range... ranges) {
        checkNotNull(ranges, "ranges");
        long[] sizes = new long[ranges.length];
        DBExceptions.run("getApproximateSizes", () -> {
            try (DbIterator it = db.iterator(org.lsmtree.engine.ReadOptions.defaults())) {
                for (int i = 0; i < ranges.length; i++) {
                    checkNotNull(ranges[i], "ranges[%s]", i);
                    byte[] limit = checkNotNull(ranges[i].limit(), "limit of ranges[%s]", i);
                    for (it.seek(checkNotNull(ranges[i].start(), "start of ranges[%s]", i)); it.isValid(); it.next()) {
                        byte[] key = it.key();
                        if (comparator.compare(key, limit) >= 0) {
                            break;
                        }
                        sizes[i] += key.length + it.value().length;
                    }
                }
            }
        });
        return sizes;
    }

    /** The property {@code name} as {@link LevelDbProperties} gives it, or null when unknown. */
    @Override
    public String getProperty(String name) {
        checkNotNull(name, "name");
        return LevelDbProperties.get(db, name);
    }

    /**
     * Holds compactions, background ones and {@link #compactRange} alike, until
     * {@link #resumeCompactions()} (suspensions nest) and returns once none is running; memtable
     * flushes go on (see {@link CompactionGate}), and writes stall once level 0 reaches its stop
     * trigger.
     */
    @Override
    public void suspendCompactions() throws InterruptedException {
        compactions.suspend(); // no compactRange starts, and running ones have finished
        try {
            db.suspendCompactions(); // nor a background compaction
        } catch (IOException e) {
            compactions.resume();
            throw DBExceptions.wrap("suspendCompactions", e);
        }
    }

    @Override
    public void resumeCompactions() {
        compactions.checkSuspended();
        db.resumeCompactions();
        compactions.resume();
    }

    /**
     * Flushes the memtable and compacts every table holding keys in {@code [begin, end]} (null:
     * unbounded) down the levels, dropping overwritten values and tombstones no snapshot needs.
     * Waits while compactions are suspended.
     */
    @Override
    public void compactRange(byte[] begin, byte[] end) {
        try {
            compactions.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DBException("interrupted while waiting for compactions to be resumed", e);
        }
        try {
            DBExceptions.run("compactRange", () -> db.compactRange(begin, end));
        } finally {
            compactions.exit();
        }
        log.line("compacted range [%s, %s]", InfoLog.key(begin), InfoLog.key(end));
    }

    /** Closes the store; iterators and snapshots of it are unusable after. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        db.close();
        log.line("closed");
    }

    private static org.lsmtree.engine.ReadOptions toEngine(ReadOptions options) {
        checkNotNull(options, "options");
        Snapshot snapshot = options.snapshot();
        org.lsmtree.engine.ReadOptions mapped;
        if (snapshot == null) {
            mapped = org.lsmtree.engine.ReadOptions.defaults();
        } else {
            checkArgument(snapshot instanceof LsmSnapshot, "snapshot %s was not taken from this store", snapshot);
            mapped = org.lsmtree.engine.ReadOptions.at(((LsmSnapshot) snapshot).engineSnapshot());
        }
        mapped = mapped.withFillCache(options.fillCache());
        return options.verifyChecksums() ? mapped.withVerifiedChecksums() : mapped;
    }

    @Override
    public String toString() {
        return "DB(" + db + ")";
    }
}
