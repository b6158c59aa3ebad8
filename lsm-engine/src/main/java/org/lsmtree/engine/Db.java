package org.lsmtree.engine;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.wal.WriteBatch;

/**
 * An open key-value store in a directory, in LevelDB's file formats. Keys and values are byte
 * arrays; keys are ordered by the {@link Options#comparator()} (bytewise by default).
 *
 * <pre>{@code
 * try (Db db = Db.open(dir, Options.defaults())) {
 *     db.put(key, value);              // durable when it returns
 *     byte[] v = db.get(key);          // null when absent
 * }
 * }</pre>
 *
 * <p>Writes go to the write-ahead log first (synced before the call returns unless
 * {@link WriteOptions#noSync()}), then to the memtable; a batch is applied all or nothing, also
 * across a crash. Reads see every write acknowledged before they began.
 *
 * <p>Thread-safe: every method may be called from many threads. After {@link #close()} every
 * method but {@code close} throws {@link IllegalStateException}. Only one {@code Db} may have a
 * directory open at a time, in this process or another.
 */
public final class Db implements Closeable {
    private final DbCore core;

    private Db(DbCore core) {
        this.core = core;
    }

    /**
     * Opens (or, with {@link Options#createIfMissing()}, creates) the store in {@code directory},
     * recovering every acknowledged write from its logs. Fails with an {@link IOException} naming
     * the file when the store is in use, damaged, or missing.
     */
    public static Db open(Path directory, Options options) throws IOException {
        DbCore core = new DbCore(Recovery.open(directory, options, storage -> new SstableTables(storage, options)));
        try {
            core.start(); // deletes what the recovered MANIFEST leaves obsolete, starts background work
        } catch (IOException | RuntimeException e) {
            core.close();
            throw e;
        }
        return new Db(core);
    }

    /**
     * Opens the store in {@code directory} for reading only, changing nothing on disk: no lock is
     * taken (another process may be writing it), its WALs are replayed into memory, and no file is
     * created, written or deleted. Writes, {@link #flush()} and {@link #compactRange} throw
     * {@link IllegalStateException}. For tools that look into a store found as it is.
     */
    public static Db openReadOnly(Path directory, Options options) throws IOException {
        return new Db(new DbCore(Recovery.openReadOnly(directory, options,
                storage -> new SstableTables(storage, options))));
    }

    /** Sets {@code key} to {@code value}, durably. */
    public void put(byte[] key, byte[] value) throws IOException {
        put(key, value, WriteOptions.defaults());
    }

    /** Sets {@code key} to {@code value}. */
    public void put(byte[] key, byte[] value, WriteOptions writeOptions) throws IOException {
        core.write(key, com.google.common.base.Preconditions.checkNotNull(value, "value"), writeOptions);
    }

    /** Removes {@code key}, durably; removing an absent key is fine. */
    public void delete(byte[] key) throws IOException {
        delete(key, WriteOptions.defaults());
    }

    /** Removes {@code key}. */
    public void delete(byte[] key, WriteOptions writeOptions) throws IOException {
        core.write(key, null, writeOptions);
    }

    /** Applies every entry of {@code batch}, in order, all or nothing. */
    public void write(WriteBatch batch, WriteOptions writeOptions) throws IOException {
        core.write(batch, writeOptions);
    }

    /** The value of {@code key}, or null when absent. */
    public byte[] get(byte[] key) throws IOException {
        return core.get(key, ReadOptions.defaults());
    }

    /** The value of {@code key} as {@code readOptions} say (at a snapshot, say), or null. */
    public byte[] get(byte[] key, ReadOptions readOptions) throws IOException {
        return core.get(key, readOptions);
    }

    /**
     * Writes the memtable to a table now (if it holds anything, and one still waiting for its
     * background flush first), returning once the table is durable; the WAL it covered is
     * trimmed. A memtable that reaches {@link Options#writeBufferSize()} is flushed in the
     * background on its own, while a new one takes the writes.
     */
    public void flush() throws IOException {
        core.flush();
    }

    /**
     * Compacts the tables holding keys in {@code [begin, end]} (null: unbounded) down the levels,
     * dropping versions no snapshot can see and tombstones with nothing older beneath them;
     * returns once the result is durable. Background compaction keeps the levels in shape by
     * itself; this waits for a running one.
     */
    public void compactRange(byte[] begin, byte[] end) throws IOException {
        core.compactRange(begin, end);
    }

    /**
     * Stops automatic (background) compactions and returns once a running one has ended, as
     * LevelDB's Java API's {@code suspendCompactions} asks; flushes of full memtables go on, and so
     * does {@link #compactRange}. Suspensions nest; each needs a {@link #resumeCompactions()}.
     * While suspended, level 0 grows, and writes stall once it reaches the stop trigger
     * ({@link Options#withLevelZeroTriggers}).
     */
    public void suspendCompactions() throws IOException {
        core.suspendCompactions();
    }

    /**
     * Ends one {@link #suspendCompactions()}; after the last one, compactions start again as the
     * levels ask. Throws {@link IllegalStateException} without a suspension to end.
     */
    public void resumeCompactions() {
        core.resumeCompactions();
    }

    /**
     * Makes the store writable again after a failed write (a full disk, an I/O error) turned it
     * read-only, once the cause is gone: the memtables go to tables, a new WAL and MANIFEST start.
     * Does nothing when the store is writable; throws, leaving it read-only, when that fails again.
     * A reopen recovers too.
     */
    public void resume() throws IOException {
        core.resume();
    }

    /** Pins the current state for reads ({@link ReadOptions#at}); close it when done. */
    public Snapshot snapshot() {
        return core.snapshot();
    }

    /** An iterator over the store as of now (or the snapshot in {@code readOptions}); close it. */
    public DbIterator iterator(ReadOptions readOptions) throws IOException {
        return core.iterator(readOptions);
    }

    /**
     * A property of the running store, or null for an unknown name: {@code lsm.stats} (a
     * human-readable summary: levels, scores, compaction bytes, write amplification, stalls,
     * background error), {@code lsm.num-files-at-level<N>}, {@code lsm.sstables} (LevelDB's
     * layout), {@code lsm.approximate-memory-usage} (memtables plus the bytes of the block cache
     * the store reads through and the index and filter blocks of its open tables), {@code lsm.background-error}
     * (empty when none), {@code lsm.mem-table-flush-pending} and {@code lsm.compaction-pending}
     * (1 while background work is due or running, else 0), {@code lsm.last-sequence}, {@code lsm.memtable-bytes},
     * {@code lsm.all-memtables-bytes}, {@code lsm.open-snapshots}, {@code lsm.block-cache},
     * {@code lsm.write-buffers} (the shared memtable budget).
     */
    public String property(String name) {
        return core.property(name);
    }

    @com.google.common.annotations.VisibleForTesting
    DbCore core() {
        return core;
    }

    /**
     * Closes the store and releases its directory, after the running background work ends (none
     * starts after). A memtable not flushed yet stays in its WAL for the next open. Closing twice
     * is harmless.
     */
    @Override
    public void close() throws IOException {
        core.close();
    }
}
