package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.annotations.VisibleForTesting;
import com.google.common.io.Closer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.MergingIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.wal.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running store: the write path (WAL, then memtable), the switch of a full memtable for a new one, flushes
 * and compactions (run by a {@link BackgroundScheduler}, or by a caller of {@link #flush()} and
 * {@link #compactRange}), reads over a {@link ReadState}, snapshots, resumption after a failure, and shutdown.
 * {@link Recovery} builds it at open. It coordinates the parts LevelDB names, each in its own class: the
 * {@link VersionSet} (MANIFEST, file numbers, versions), the {@link CompactionPicker}, the {@link BackgroundScheduler},
 * the {@link WriteController} (stalls), the {@link ActiveLog}, the {@link WriteBufferShare} (its memtables' bytes in
 * a shared budget, updated wherever they change); it is larger than they are for that reason.
 * {@code docs/architecture.md} draws the threads, locks and queues.
 *
 * <p>Threads and locks: writers queue in a {@link WriteQueue} (group commit: one leader appends
 * and syncs the batches of many) and the leader writes under {@code writeLock}, which also guards
 * the WAL, the switch of memtables, the publication of versions and the flags {@code flushing},
 * {@code compacting}, {@code placing}. A flush or compaction holds it only to start and to publish
 * its result: it builds its tables (pending outputs of the {@link VersionSet}) and the
 * {@link VersionInstaller} syncs its MANIFEST edit without it; {@link ObsoleteFiles} deletes
 * without it too. At most one flush and one compaction run at a time, and none starts while a
 * flush's tables go above level 0 (it could overlap them); a manual compaction waits for a
 * background one. {@code backgroundDone} is signalled whenever a flush or compaction ends. A writer
 * that must wait for one whose task has not started yet (a busy or manual executor) runs it
 * itself, so that no stall depends on the executor's progress. Readers take no lock: they read the
 * volatile {@link ReadState} and last sequence once, hold a reference on its {@link Version} while
 * they read, and work from those. A write becomes visible only after all of its entries are in the
 * memtable. A table file is deleted only when no live version lists it.
 *
 * <p>Failure: when a write to the WAL, a table or the MANIFEST fails (a background flush too), the
 * store cannot know what the files now hold, so it turns read-only: every later write fails with
 * the first error, while reads go on, until {@link #resume()} succeeds. A compaction that fails
 * before its MANIFEST edit changed nothing: the scheduler retries it (not after damage), then gives up read-only.
 */
final class DbCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DbCore.class);

    private final Storage storage;
    private final Path directory;
    private final Options options;
    private final InternalKeyComparator comparator;
    private final StorageLock lock;
    private final SnapshotList snapshots = new SnapshotList();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition backgroundDone = writeLock.newCondition();
    private final TableCache tables;
    private final VersionSet versions;
    private final CompactionPicker picker;
    private final ObsoleteFiles obsoleteFiles;
    private final VersionInstaller installer;
    private final WriteController stalls;
    private final CompactionStats compactionStats = new CompactionStats();
    private final BackgroundScheduler scheduler;
    private final StoreProperties properties;
    private final TableOutputs tableOutputs;
    private final WriteQueue writes;
    /** The store's part in a shared memtable budget; counts nothing without one. */
    private final WriteBufferShare memory;

    private volatile ReadState readState;
    private final java.util.function.Supplier<ReadState> currentReadState = () -> readState; // one, not one per read
    private volatile long lastSequence;
    private volatile boolean closed;
    private volatile IOException writeError;
    private final boolean readOnly;

    /** Null for a store opened read-only. */
    private final ActiveLog log;

    // Written under writeLock (volatile for the properties).
    private volatile boolean flushing;
    private volatile boolean compacting;
    private volatile boolean placing; // a flush's tables go above level 0: no compaction starts until they are in a version

    DbCore(Recovery.Recovered recovered) {
        this.storage = recovered.storage();
        this.directory = recovered.directory();
        this.options = recovered.options();
        this.writes = new WriteQueue(this::writeGroup, options.maxRecordSize());
        this.comparator = recovered.comparator();
        this.lock = recovered.lock();
        this.tables = recovered.tables();
        this.lastSequence = recovered.lastSequence();
        DbCore self = this; // a lambda may not read the scheduler field before it is assigned, below
        this.log = recovered.wal() == null ? null : new ActiveLog(storage, directory, recovered.wal(), recovered.walNumber(),
                options.walBytesPerSync(), () -> self.scheduler.schedule(BackgroundScheduler.Kind.WAL_SYNC));
        this.readOnly = recovered.readOnly();
        SeekCompactions seeks = SeekCompactions.forStore(options, readOnly, this::scheduleCompactionIfNeeded);
        this.versions = new VersionSet(storage, directory, options.maxManifestBytes(), recovered.manifest(),
                recovered.state(), recovered.nextFileNumber(), tables, this::versionReleased, seeks);
        this.picker = new CompactionPicker(options, seeks);
        this.tableOutputs = new TableOutputs(writeLock, versions, storage, directory, recovered.format(),
                options.comparator());
        this.installer = new VersionInstaller(writeLock, versions);
        this.obsoleteFiles = new ObsoleteFiles(storage, directory, tables, recovered.lost(), installer.manifestLock(),
                this::deletionPlan);
        this.readState = new ReadState(recovered.memTable(), null, versions.current());
        this.memory = new WriteBufferShare(options.writeBufferManager(), directory.toString(), this::backgroundFlush);
        this.stalls = new WriteController(options, writeLock, () -> readState, memory, new WriteController.Steps(
                this::checkWritable, this::switchForFlush, this::awaitFlush, this::awaitCompaction));
        this.properties = new StoreProperties(directory, readOnly, versions, snapshots, stalls, compactionStats, picker,
                recovered.format(), memory);
        this.scheduler = readOnly ? null : new BackgroundScheduler(options, directory.toString(),
                () -> backgroundFlush(false), this::backgroundCompaction, () -> log.syncInBackground());
    }

    /**
     * After open: deletes what nothing live references (the MANIFEST that drops it is durable by
     * now), starts the background work the store's shape asks for, and joins the memtable budget.
     */
    void start() throws IOException {
        obsoleteFiles.deleteNow();
        writeLock.lock();
        try {
            memory.join(readState);
            scheduleCompactionIfNeeded();
        } finally {
            releaseWriteLock();
        }
    }

    /** Writes {@code batch} through group commit: many writers' batches may share one WAL record and sync. */
    void write(WriteBatch batch, WriteOptions writeOptions) throws IOException {
        checkOpen();
        writes.write(checkNotNull(batch, "batch"), checkNotNull(writeOptions, "writeOptions").isSync());
    }

    /** Puts {@code value} under {@code key}, or deletes {@code key} if {@code value} is null, as a batch of one would. */
    void write(byte[] key, byte[] value, WriteOptions writeOptions) throws IOException {
        checkOpen();
        writes.writeEntry(key, value, checkNotNull(writeOptions, "writeOptions").isSync());
    }

    /** The parts tests look into. */
    @VisibleForTesting
    DbInternals internals() {
        return new DbInternals(stalls, versions, compactionStats, tables, writes);
    }

    /** Appends a group of batches to the WAL, as one record, and to the memtable: the group leader's work. */
    private void writeGroup(List<WriteBatch> group, boolean sync) throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            if (WriteQueue.hasEntries(group)) {
                stalls.makeRoom(); // delays, waits or switches memtables until there is room
            }
            long first = lastSequence + 1;
            int count;
            try {
                log.append(first, group, sync);
                count = readState.mutable().insert(first, group);
                memory.update(readState);
            } catch (IOException | RuntimeException | Error e) {
                // The WAL may now hold the group: whatever failed, the store cannot go on as if it did not.
                failWrites(e);
                throw e;
            }
            lastSequence = first + count - 1; // publishes the group to readers
        } finally {
            releaseWriteLock();
        }
    }

    /** Flushes the immutable memtable here if nobody does yet, else waits for it. Requires writeLock. */
    private void awaitFlush() throws IOException {
        if (!flushing && readState.immutable() != null) {
            flushImmutable();
        } else {
            BackgroundScheduler.await(backgroundDone);
        }
    }

    /** Runs the compaction the scores ask for here if none runs, else waits for it. Requires writeLock. */
    private void awaitCompaction() throws IOException {
        Compaction compaction = compacting || placing || scheduler.compactionsSuspended() ? null
                : picker.pick(readState.version());
        if (compaction != null) {
            runCompaction(compaction, true);
        } else {
            BackgroundScheduler.await(backgroundDone);
        }
    }

    byte[] get(byte[] key, ReadOptions readOptions) throws IOException {
        checkNotNull(key, "key");
        checkOpen();
        long sequence = snapshots.sequenceFor(readOptions, lastSequence);
        ReadState state = ReadState.pin(currentReadState);
        try {
            return state.get(key, sequence, options.verifyChecksums() || readOptions.verifyChecksums());
        } finally {
            state.version().release();
        }
    }

    DbIterator iterator(ReadOptions readOptions) throws IOException {
        checkOpen();
        long sequence = snapshots.sequenceFor(readOptions, lastSequence);
        ReadState state = ReadState.pin(currentReadState);
        List<InternalIterator> sources;
        try {
            sources = state.iterators(options.verifyChecksums() || readOptions.verifyChecksums(), readOptions.fillCache());
        } catch (IOException | RuntimeException e) {
            state.version().release();
            throw e;
        }
        return new DbIterator(new MergingIterator(comparator, sources), options.comparator(), sequence,
                state.version()::release, () -> closed, versions.readSampler());
    }

    /** Writes the memtable (and an immutable one waiting) to tables now; returns once they are durable. */
    void flush() throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            while (readState.immutable() != null) {
                awaitFlush();
                checkWritable();
            }
            if (!readState.mutable().isEmpty()) {
                switchMemTable();
                flushImmutable();
            }
        } finally {
            releaseWriteLock();
        }
    }

    /**
     * Compacts every file holding keys in {@code [begin, end]} (null: unbounded), after a flush, in
     * one merge into the deepest level that holds any of them (level 1 at least): {@link RangeCompaction}.
     */
    void compactRange(byte[] begin, byte[] end) throws IOException {
        flush();
        writeLock.lock();
        try {
            checkWritable();
            while (compacting || placing) {
                BackgroundScheduler.await(backgroundDone);
                checkWritable();
            }
            Compaction compaction = new RangeCompaction(picker, options).plan(readState.version(), begin, end);
            if (compaction != null) {
                runCompaction(compaction, false);
            }
        } finally {
            releaseWriteLock();
        }
    }

    /**
     * Makes a store that a failed write turned read-only writable again, if the failure is gone:
     * writes both memtables to level-0 tables, starts a new WAL and a new MANIFEST (the old ones'
     * ends are unknown) holding the state with those tables, with the durability steps of an open.
     * Does nothing when the store is writable; when it fails, the store stays read-only.
     */
    void resume() throws IOException {
        writeLock.lock();
        try {
            checkOpen();
            checkState(!readOnly, "store %s is open read-only", directory);
            while (flushing || compacting) {
                backgroundDone.awaitUninterruptibly();
            }
            if (writeError == null) {
                return;
            }
            flushing = true; // keeps background work and close away while the lock is let go
            List<Long> numbers = new ArrayList<>();
            try {
                log.replaceFailed(versions.newFileNumber());
                ReadState state = readState;
                VersionEdit edit = new VersionEdit().setLogNumber(log.number()).setPreviousLogNumber(0);
                for (MemTable memTable : new MemTable[] {state.immutable(), state.mutable()}) { // older first
                    if (memTable != null && !memTable.isEmpty()) {
                        tableOutputs.write(numbers, Long.MAX_VALUE, out -> memTable.writeTo(out, lastSequence))
                                .forEach(file -> edit.addFile(0, file));
                    }
                }
                Version version = installer.rotate(edit, lastSequence);
                readState = new ReadState(new MemTable(comparator), null, version);
                state.version().release();
                LOG.info("{}: resumed after {}", directory, writeError.toString());
                writeError = null;
                memory.join(readState);
                scheduler.compactionSucceeded();
            } finally {
                versions.forgetOutputs(numbers);
                flushing = false;
                backgroundDone.signalAll();
            }
            obsoleteFiles.request();
            scheduleCompactionIfNeeded();
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
        return properties.get(checkNotNull(name, "name"),
                new StoreProperties.Moment(readState, lastSequence, log == null ? null : log.describe(), writeError,
                        compacting));
    }

    /**
     * Closes the store: starts no more background work, waits for the running work (its result is
     * installed), then closes the WAL, MANIFEST, tables and lock. An immutable memtable not yet
     * flushed stays in its WAL, which the next open replays.
     */
    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            memory.leave(); // what the memtables hold is not the budget's any more
            backgroundDone.signalAll(); // stalled writers see the store closed
        } finally {
            writeLock.unlock();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        writeLock.lock();
        try (Closer parts = Closer.create()) {
            while (flushing || compacting) { // a caller's flush or compaction, building without the lock
                backgroundDone.awaitUninterruptibly();
            }
            for (Closeable part : new Closeable[] {lock, tables, versions, log, obsoleteFiles}) { // closed last first
                if (part != null) { // a read-only store has no WAL, MANIFEST writer or lock
                    parts.register(part);
                }
            }
        } finally {
            writeLock.unlock();
        }
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

    /** Publishes {@code version} (just made current), without the immutable memtable if it was flushed. */
    private void install(Version version, boolean flushed) {
        ReadState old = readState;
        readState = new ReadState(old.mutable(), flushed ? null : old.immutable(), version);
        old.version().release();
        memory.update(readState);
    }

    /** A version nobody holds any more may leave files to delete: served here, or when writeLock is let go. */
    private void versionReleased() {
        obsoleteFiles.request();
        if (!writeLock.isHeldByCurrentThread()) {
            obsoleteFiles.serve();
        }
    }

    /** Releases the write lock, then deletes obsolete files if something asked for it (never under the lock). */
    private void releaseWriteLock() {
        writeLock.unlock();
        if (!writeLock.isHeldByCurrentThread()) {
            obsoleteFiles.serve();
        }
    }

    /** Makes the full memtable immutable; a new WAL and memtable take the writes. Requires writeLock. */
    private void switchMemTable() throws IOException {
        assert writeLock.isHeldByCurrentThread() && readState.immutable() == null;
        try {
            log.switchTo(versions::newFileNumber);
        } catch (IOException | RuntimeException e) {
            failWrites(e);
            throw e;
        }
        ReadState old = readState;
        readState = new ReadState(new MemTable(comparator), old.mutable(), old.version());
        memory.update(readState);
    }

    /** Switches the full memtable and schedules its flush. Requires writeLock. */
    private void switchForFlush() throws IOException {
        switchMemTable();
        scheduler.schedule(BackgroundScheduler.Kind.FLUSH);
    }

    /**
     * Runs a background flush if there is one to run; with {@code switchOnly} (the memtable budget
     * picked this store's memtable) switches a non-empty memtable instead, if none waits, and
     * schedules its flush. Returns whether it flushed or switched. A flush task first prepares the next WAL (no lock).
     */
    private boolean backgroundFlush(boolean switchOnly) {
        IOException unprepared = switchOnly ? null : log.prepareNext(versions::newFileNumber);
        writeLock.lock();
        try {
            if (unprepared != null) {
                failWrites(unprepared);
            }
            boolean work = !closed && writeError == null && !flushing && (switchOnly
                    ? readState.immutable() == null && !readState.mutable().isEmpty() : readState.immutable() != null);
            if (work && switchOnly) {
                switchForFlush();
            } else if (work) {
                flushImmutable();
            }
            return work;
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: background flush failed: {}", directory, e.toString());
        } finally {
            releaseWriteLock();
        }
        return false;
    }

    /**
     * Writes the immutable memtable to tables without writeLock, then records them and the log
     * number in the MANIFEST (its WAL becomes obsolete), at the level {@link CompactionPicker#levelForFlush}
     * picks; at level 0 while a compaction runs, whose outputs could overlap them. Requires writeLock.
     */
    private void flushImmutable() throws IOException {
        assert writeLock.isHeldByCurrentThread() && !flushing;
        MemTable full = readState.immutable();
        long logNumber = log.number();
        flushing = true;
        List<Long> numbers = new ArrayList<>();
        try {
            List<FileMetadata> outputs = tableOutputs.write(numbers, Long.MAX_VALUE, out -> full.writeTo(out, lastSequence));
            int level = compacting || outputs.size() != 1 ? 0 : picker.levelForFlush(readState.version().state(),
                    InternalKey.userKeyOf(outputs.get(0).smallest()), InternalKey.userKeyOf(outputs.get(0).largest()));
            placing = level > 0;
            VersionEdit edit = new VersionEdit().setLogNumber(logNumber).setPreviousLogNumber(0);
            outputs.forEach(file -> edit.addFile(level, file));
            install(installer.logAndApply(edit, () -> lastSequence), true);
            compactionStats.flushed(level, Compaction.totalBytes(outputs));
            LOG.debug("{}: flushed {} entries to {} at level {}", directory, full.size(), outputs, level);
        } catch (IOException | RuntimeException e) {
            failWrites(e);
            throw e;
        } finally {
            versions.forgetOutputs(numbers);
            flushing = false;
            placing = false;
            backgroundDone.signalAll();
        }
        scheduleCompactionIfNeeded();
        obsoleteFiles.request();
    }

    /** See {@link Db#suspendCompactions()}: the scheduler starts none, and a running one ends first. */
    void suspendCompactions() throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            scheduler.suspendCompactions();
            while (compacting) {
                BackgroundScheduler.await(backgroundDone);
            }
        } finally {
            releaseWriteLock();
        }
    }

    /** See {@link Db#resumeCompactions()}. */
    void resumeCompactions() {
        writeLock.lock();
        try {
            if (scheduler != null && scheduler.resumeCompactions()) {
                scheduleCompactionIfNeeded();
                backgroundDone.signalAll(); // writers stalled for a compaction may run one now
            }
        } finally {
            releaseWriteLock();
        }
    }

    /** Runs a compaction the scores ask for, if none runs; a failure the scheduler does not retry turns the store read-only. */
    private void backgroundCompaction() {
        writeLock.lock();
        try {
            Compaction compaction = closed || writeError != null || compacting || placing
                    || scheduler.compactionsSuspended() ? null : picker.pick(readState.version());
            if (compaction != null) {
                runCompaction(compaction, true);
                scheduler.compactionSucceeded();
            }
        } catch (IOException | RuntimeException e) {
            if (writeError == null && !scheduler.retryCompaction(e)) {
                failWrites(e);
            }
        } finally {
            releaseWriteLock();
        }
    }

    /** Schedules a compaction if scores or a spent seek budget ask for one; needs no lock (readers call it). */
    private void scheduleCompactionIfNeeded() {
        if (!closed && writeError == null && picker.needsCompaction(readState.version().state())) {
            scheduler.schedule(BackgroundScheduler.Kind.COMPACTION);
        }
    }

    /**
     * Runs {@code compaction} (a trivial move by a MANIFEST edit alone when allowed and possible),
     * merging without writeLock, and installs its result. Requires writeLock and no compaction running.
     */
    private void runCompaction(Compaction compaction, boolean allowTrivialMove) throws IOException {
        assert writeLock.isHeldByCurrentThread() && !compacting;
        int level = compaction.level();
        compacting = true;
        checkState(compaction.version().acquire(), "compaction of a released version");
        List<Long> numbers = new ArrayList<>();
        List<FileMetadata> outputs;
        boolean applying = false;
        try {
            boolean move = allowTrivialMove && compaction.isTrivialMove();
            if (move) {
                outputs = compaction.inputs();
            } else {
                long oldestSnapshot = snapshots.oldest(lastSequence);
                outputs = tableOutputs.write(numbers, options.targetFileSize(),
                        out -> compaction.run(tables, out, oldestSnapshot, options.verifyChecksums()));
            }
            applying = true;
            install(installer.logAndApply(compaction.edit(outputs), () -> lastSequence), false);
            if (move) {
                compactionStats.moved(compaction);
            } else {
                compactionStats.compacted(compaction, Compaction.totalBytes(outputs));
            }
        } catch (IOException | RuntimeException e) {
            if (applying) { // the MANIFEST's end is unknown; before the edit, nothing was changed
                failWrites(e);
            }
            throw e;
        } finally {
            versions.forgetOutputs(numbers);
            compacting = false;
            backgroundDone.signalAll();
            compaction.version().release();
        }
        LOG.debug("{}: compacted {} files of level {} and {} below into level {}: {}", directory,
                compaction.inputs().size(), level, compaction.overlapped().size(), compaction.outputLevel(), outputs);
        obsoleteFiles.request();
        scheduleCompactionIfNeeded();
    }

    private void failWrites(Throwable e) {
        if (writeError == null) {
            writeError = e instanceof IOException io ? io : new IOException(e);
            LOG.error("{}: a write failed; the store is now read-only: {}", directory, e.toString());
            memory.leave(); // a failed store must not hold the budget of the others
            backgroundDone.signalAll();
        }
    }

    /** What a deletion of obsolete files goes by; none after a failed write (see {@link ObsoleteFiles}). */
    private ObsoleteFiles.Plan deletionPlan() {
        return readOnly || writeError != null || versions.undecided() ? null : new ObsoleteFiles.Plan(
                versions.current().state(), versions.liveSnapshot(), log.number(), versions.manifestNumber());
    }
}
