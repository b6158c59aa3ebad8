package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.MergingIterator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;
import org.lsmtree.manifest.ManifestWriter;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.wal.WalWriter;
import org.lsmtree.wal.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running store: the write path (WAL, then memtable), flushes of a full memtable to a
 * level-0 table, manual compaction, reads over a {@link ReadState}, the MANIFEST, obsolete
 * files, snapshots and shutdown. {@link Recovery} builds it at open. This class coordinates every
 * part of the engine and is larger than the others for that reason.
 *
 * <p>Threads: writers queue in a {@link WriteQueue} (group commit: one leader appends and syncs
 * the batches of many); the leader's write and every change of the store's files (flush,
 * compaction, deletion of obsolete files) are serialized on {@code writeLock}; readers take no lock: they read the
 * volatile {@link ReadState} and last sequence once, hold a reference on its {@link Version}
 * while they read, and work from those. A write becomes visible only after all of its entries are
 * in the memtable (the last sequence is published after the insert). A table file is deleted only
 * when no live version (the current one, or one an iterator or read still holds) lists it.
 *
 * <p>Failure: when a write to the WAL, a table or the MANIFEST fails, the store cannot know what
 * the files now hold, so it turns read-only: every later write fails with the first error.
 */
final class DbCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DbCore.class);
    /** Compaction output files are cut at about this size (LevelDB's default). */
    static final long TARGET_FILE_SIZE = 2L << 20;

    private final Storage storage;
    private final Path directory;
    private final Options options;
    private final InternalKeyComparator comparator;
    private final StorageLock lock;
    private final SnapshotList snapshots = new SnapshotList();
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();
    /** Set when a released version may have left files to delete and the lock was busy. */
    private final java.util.concurrent.atomic.AtomicBoolean obsoleteFilesPending = new java.util.concurrent.atomic.AtomicBoolean();
    private final TableFormat format;
    private final TableCache tables;
    private final VersionSet versions;
    private final CompactionPicker picker;
    private final ObsoleteFiles obsoleteFiles;
    private final WriteQueue writes = new WriteQueue(this::writeGroup);

    private volatile ReadState readState;
    private volatile long lastSequence;
    private volatile boolean closed;
    private volatile IOException writeError;
    private final boolean readOnly;

    // Guarded by writeLock.
    private WalWriter wal;
    private long walNumber;

    DbCore(Recovery.Recovered recovered) {
        this.storage = recovered.storage();
        this.directory = recovered.directory();
        this.options = recovered.options();
        this.comparator = recovered.comparator();
        this.lock = recovered.lock();
        this.format = recovered.format();
        this.tables = recovered.tables();
        this.lastSequence = recovered.lastSequence();
        this.wal = recovered.wal();
        this.walNumber = recovered.walNumber();
        this.readOnly = recovered.readOnly();
        this.versions = new VersionSet(recovered.manifest(), recovered.state(), recovered.nextFileNumber(), tables,
                this::versionReleased);
        this.picker = new CompactionPicker(options.comparator());
        this.obsoleteFiles = new ObsoleteFiles(storage, directory, tables, recovered.lost());
        this.readState = new ReadState(recovered.memTable(), null, versions.current());
    }

    /** Writes {@code batch} through group commit: many writers' batches may share one WAL record and sync. */
    void write(WriteBatch batch, WriteOptions writeOptions) throws IOException {
        checkNotNull(batch, "batch");
        checkNotNull(writeOptions, "writeOptions");
        checkOpen();
        writes.write(batch, writeOptions.isSync());
    }

    @com.google.common.annotations.VisibleForTesting
    WriteQueue writeQueue() {
        return writes;
    }

    /** Appends one (possibly merged) batch to the WAL and the memtable: the group leader's work. */
    private void writeGroup(WriteBatch batch, boolean sync) throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            if (batch.isEmpty()) {
                if (sync) { // nothing to write, but the caller asked for everything before it to be durable
                    syncWal();
                }
                return;
            }
            if (readState.mutable().approximateBytes() >= options.writeBufferSize()) {
                flushMemTable();
            }
            long first = lastSequence + 1;
            try {
                wal.append(first, batch);
                if (sync) {
                    wal.sync();
                } else {
                    wal.flush();
                }
                readState.mutable().insert(first, batch);
            } catch (IOException | RuntimeException | Error e) {
                // The WAL may now hold the batch: whatever failed, the store cannot go on as if it did not.
                failWrites(e);
                throw e;
            }
            lastSequence = first + batch.count() - 1; // publishes the batch to readers
        } finally {
            releaseWriteLock();
        }
    }

    private void syncWal() throws IOException {
        try {
            wal.sync();
        } catch (IOException | RuntimeException e) {
            failWrites(e);
            throw e;
        }
    }

    byte[] get(byte[] key, ReadOptions readOptions) throws IOException {
        checkNotNull(key, "key");
        checkOpen();
        long sequence = sequenceFor(readOptions);
        ReadState state = pin();
        try {
            Lookup found = state.get(key, sequence, verify(readOptions));
            return found.state() == Lookup.State.FOUND ? found.value().clone() : null;
        } finally {
            state.version().release();
        }
    }

    DbIterator iterator(ReadOptions readOptions) throws IOException {
        checkOpen();
        long sequence = sequenceFor(readOptions);
        ReadState state = pin();
        List<InternalIterator> sources;
        try {
            sources = state.iterators(verify(readOptions));
        } catch (IOException | RuntimeException e) {
            state.version().release();
            throw e;
        }
        return new DbIterator(new MergingIterator(comparator, sources), options.comparator(), sequence,
                state.version()::release, () -> closed);
    }

    /** Writes the memtable to a level-0 table now, if it holds anything, and trims the WAL. */
    void flush() throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            flushMemTable();
        } finally {
            releaseWriteLock();
        }
    }

    /**
     * Compacts every file holding keys in {@code [begin, end]} (null: unbounded) down the levels,
     * as far as the deepest level that holds any of them (level 1 at least), after a flush.
     */
    void compactRange(byte[] begin, byte[] end) throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            flushMemTable();
            int deepest = picker.deepestLevelHolding(readState.version().state(), begin, end);
            for (int level = 0; level < deepest; level++) {
                compactLevel(level, begin, end);
            }
        } finally {
            releaseWriteLock();
        }
    }

    Snapshot snapshot() {
        checkOpen();
        return snapshots.take(lastSequence);
    }

    String property(String name) {
        checkOpen();
        switch (name) {
            case "lsm.stats":
                return stats();
            case "lsm.last-sequence":
                return Long.toString(lastSequence);
            case "lsm.memtable-bytes":
                return Long.toString(readState.mutable().approximateBytes());
            case "lsm.open-snapshots":
                return Integer.toString(snapshots.size());
            default:
                return null;
        }
    }

    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IOException failure = null;
            for (AutoCloseable part : new AutoCloseable[] {wal, versions, tables, lock}) {
                if (part == null) {
                    continue; // a read-only store has no WAL, MANIFEST writer or lock
                }
                try {
                    part.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e instanceof IOException io ? io : new IOException(e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            releaseWriteLock();
        }
    }

    private long sequenceFor(ReadOptions readOptions) {
        checkNotNull(readOptions, "readOptions");
        Snapshot snapshot = readOptions.snapshot();
        if (snapshot == null) {
            return lastSequence;
        }
        checkState(snapshot.belongsTo(snapshots), "snapshot %s belongs to another store", snapshot);
        checkState(!snapshot.isClosed(), "snapshot %s is closed", snapshot);
        return snapshot.sequence();
    }

    private String stats() {
        LevelState state = readState.version().state();
        StringBuilder text = new StringBuilder();
        text.append("store: ").append(directory).append(readOnly ? " (read-only)" : "").append('\n');
        text.append("last sequence: ").append(lastSequence).append('\n');
        if (!readOnly) {
            text.append("wal: ").append(FileNames.logFileName(walNumber)).append(", ")
                    .append(wal.position()).append(" bytes\n");
            text.append("manifest: ").append(FileNames.manifestFileName(versions.manifestNumber())).append('\n');
        }
        text.append("memtable: ").append(readState.mutable().size()).append(" entries, ~")
                .append(readState.mutable().approximateBytes()).append(" bytes\n");
        text.append("snapshots open: ").append(snapshots.size()).append('\n');
        text.append("level  files  bytes\n");
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            text.append(String.format("%5d  %5d  %d%n", level, state.fileCount(level), state.bytes(level)));
        }
        return text.toString();
    }

    private void checkOpen() {
        checkState(!closed, "store %s is closed", directory);
    }

    private void checkWritable() throws IOException {
        checkOpen();
        checkState(!readOnly, "store %s is open read-only", directory);
        if (writeError != null) {
            throw new IOException("store " + directory + " is read-only after an earlier write failure", writeError);
        }
    }

    private boolean verify(ReadOptions readOptions) {
        return options.verifyChecksums() || readOptions.verifyChecksums();
    }

    /** The current read state with a reference held on its version; the caller releases it. */
    private ReadState pin() {
        while (true) {
            ReadState state = readState;
            if (state.version().acquire()) {
                return state;
            }
        }
    }

    /** Publishes {@code version} (just made current); the old one goes once nothing holds it. */
    private void install(Version version, MemTable immutable) {
        ReadState old = readState;
        readState = new ReadState(old.mutable(), immutable, version);
        old.version().release();
    }

    /**
     * A version nobody holds any more may leave files to delete. A reader never waits for the
     * write lock for that: when the lock is busy, its holder deletes them before releasing it.
     */
    private void versionReleased() {
        obsoleteFilesPending.set(true);
        if (writeLock.tryLock()) {
            releaseWriteLock();
        }
    }

    /**
     * Releases the write lock, first deleting obsolete files if a released version asked for it;
     * a request that arrives while it unlocks is served by taking the lock again if it is free.
     */
    private void releaseWriteLock() {
        do {
            try {
                while (obsoleteFilesPending.getAndSet(false) && !closed && !readOnly) {
                    try {
                        deleteObsoleteFilesLocked();
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("{}: could not delete obsolete files: {}", directory, e.toString());
                    }
                }
            } finally {
                writeLock.unlock();
            }
        } while (obsoleteFilesPending.get() && !writeLock.isHeldByCurrentThread() && writeLock.tryLock());
    }

    /** Deletes what nothing live references (after open: the MANIFEST dropping them is durable). */
    void deleteObsoleteFiles() throws IOException {
        writeLock.lock();
        try {
            deleteObsoleteFilesLocked();
        } finally {
            releaseWriteLock();
        }
    }

    /**
     * Switches to a new WAL and memtable, writes the old memtable to a level-0 table, and records
     * both in the MANIFEST; the old WAL is deleted after that. Requires writeLock.
     */
    private void flushMemTable() throws IOException {
        assert writeLock.isHeldByCurrentThread();
        MemTable full = readState.mutable();
        if (full.isEmpty()) {
            return;
        }
        try {
            long newWalNumber = versions.newFileNumber();
            WalWriter newWal = WalWriter.create(storage, FileNames.logFile(directory, newWalNumber));
            try {
                storage.syncDirectory(directory); // the new log's name is durable before writes to it are acknowledged
            } catch (IOException | RuntimeException e) {
                newWal.close();
                throw e;
            }
            // The old log's unsynced tail is made durable before anything goes to the new one: a
            // crash may lose writes only as a suffix of the history, never leave a hole before
            // writes a later sync made durable (recovery refuses such a hole as damage).
            wal.sync();
            wal.close();
            wal = newWal;
            walNumber = newWalNumber;
            ReadState old = readState;
            readState = new ReadState(new MemTable(comparator), full, old.version());
            List<FileMetadata> outputs;
            try (TableWriting out = new TableWriting(storage, directory, format, versions::newOutputNumber, Long.MAX_VALUE,
                    options.comparator())) {
                try (InternalIterator entries = full.iterator()) {
                    for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                        out.add(entries.key(), entries.value());
                    }
                }
                outputs = out.finish();
            }
            storage.syncDirectory(directory);
            VersionEdit edit = new VersionEdit().setLogNumber(newWalNumber).setPreviousLogNumber(0);
            outputs.forEach(file -> edit.addFile(0, file));
            install(versions.logAndApply(edit, lastSequence), null);
            versions.forgetOutputs(numbers(outputs));
            LOG.debug("{}: flushed {} entries to {}", directory, full.size(), outputs);
        } catch (IOException | RuntimeException e) {
            failWrites(e);
            throw e;
        }
        deleteObsoleteFilesLocked();
    }

    /** Merges the files of {@code level} overlapping the range into {@code level + 1}. Requires writeLock. */
    private void compactLevel(int level, byte[] begin, byte[] end) throws IOException {
        Compaction compaction = picker.manual(readState.version(), level, begin, end);
        if (compaction == null) {
            return;
        }
        List<FileMetadata> inputs = compaction.inputs();
        List<FileMetadata> overlapped = compaction.overlapped();
        List<FileMetadata> outputs;
        try {
            TableWriting out = new TableWriting(storage, directory, format, versions::newOutputNumber, TARGET_FILE_SIZE,
                    options.comparator());
            try {
                compaction.run(tables, out, snapshots.oldest(lastSequence), options.verifyChecksums());
                outputs = out.finish();
            } catch (IOException | RuntimeException e) {
                out.discard();
                throw e;
            }
            storage.syncDirectory(directory);
            VersionEdit edit = new VersionEdit();
            inputs.forEach(file -> edit.deleteFile(level, file.number()));
            overlapped.forEach(file -> edit.deleteFile(level + 1, file.number()));
            outputs.forEach(file -> edit.addFile(level + 1, file));
            install(versions.logAndApply(edit, lastSequence), readState.immutable());
            versions.forgetOutputs(numbers(outputs));
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof org.lsmtree.format.CorruptionException)) { // damaged input: nothing was changed
                failWrites(e);
            }
            throw e;
        }
        LOG.debug("{}: compacted {} files of level {} and {} of level {} into {}", directory, inputs.size(), level,
                overlapped.size(), level + 1, outputs.size());
        deleteObsoleteFilesLocked();
    }

    private void failWrites(Throwable e) {
        if (writeError == null) {
            writeError = e instanceof IOException io ? io : new IOException(e);
            LOG.error("{}: a write failed; the store is now read-only: {}", directory, e.toString());
        }
    }

    /**
     * Deletes what nothing live references: logs before the current log number, MANIFESTs but the
     * current one, temporary files, and tables no live version lists. Requires writeLock.
     */
    private void deleteObsoleteFilesLocked() throws IOException {
        assert writeLock.isHeldByCurrentThread();
        if (readOnly || writeError != null) {
            // After a failed write the MANIFEST on disk may name files no version here knows of
            // (an edit appended but not synced): leave every file; the next open sorts them out.
            return;
        }
        obsoleteFiles.delete(readState.version().state(), versions.liveTables(), walNumber, versions.manifestNumber(),
                versions.nextFileNumber());
    }

    private static List<Long> numbers(List<FileMetadata> files) {
        return files.stream().map(FileMetadata::number).toList();
    }
}
