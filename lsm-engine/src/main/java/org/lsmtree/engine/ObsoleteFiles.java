package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.lsmtree.format.FileType;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.LevelState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files of a store that nothing live references: logs before the current log number
 * (but the one being written), MANIFESTs but the current one, temporary files, and tables that
 * neither a live version lists nor a flush or compaction is writing. A file that recovery could
 * not prove obsolete goes to the {@link LostFolder} instead.
 *
 * <p>Deletion takes neither the store's write lock nor a reader's time: whoever makes files
 * obsolete (an install, a reader letting go of the last reference to a version) asks for a
 * deletion ({@link #request}), and a thread holding no store lock serves it ({@link #serve}). A
 * deletion lists what is obsolete under the {@link VersionInstaller}'s MANIFEST lock, where no
 * MANIFEST write is under way (so a new MANIFEST, its temporary {@code CURRENT} and the state the
 * store's {@link Plan} reads agree), then unlinks that list without any store lock. A file once
 * obsolete stays so (no edit lists a table no live version lists but as a new output, and file
 * numbers are never reused), so the list stays true while it is unlinked.
 *
 * <p>Thread-safe: one deletion runs at a time (its own lock); {@link #serve} never blocks: when
 * another thread deletes it leaves the request to it, and when a MANIFEST write holds the MANIFEST
 * lock it leaves the request for the writer of that edit, which serves deletions after it.
 */
final class ObsoleteFiles implements java.io.Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ObsoleteFiles.class);

    /**
     * What a deletion needs, read under the MANIFEST lock: the current state, the live tables and
     * next file number read together ({@link VersionSet#liveSnapshot}: a table at or above that
     * number is being written), the WAL being written and the current MANIFEST.
     */
    record Plan(LevelState current, VersionSet.Live live, long walNumber, long manifestNumber) {}

    private final Storage storage;
    private final Path directory;
    private final TableCache tables;
    private final LostFolder lost;
    private final ReentrantLock manifestLock;
    /** The store's plan, or null while nothing may be deleted (read-only, failed or undecided). */
    private final Supplier<Plan> plan;
    private final ReentrantLock deleting = new ReentrantLock();
    /** Set when something may have become obsolete and no deletion has listed the files since. */
    private final AtomicBoolean pending = new AtomicBoolean();
    /** Written under {@code deleting}. */
    private volatile boolean closed;

    ObsoleteFiles(Storage storage, Path directory, TableCache tables, LostFolder lost, ReentrantLock manifestLock,
            Supplier<Plan> plan) {
        this.storage = storage;
        this.directory = directory;
        this.tables = tables;
        this.lost = lost;
        this.manifestLock = manifestLock;
        this.plan = plan;
    }

    /** Asks for a deletion, which the next {@link #serve} carries out. Cheap; takes no lock. */
    void request() {
        pending.set(true);
    }

    /**
     * Carries out the deletion asked for, if any and if no other thread does, without blocking;
     * failures are logged (the files stay for the next deletion, or the next open). The caller
     * holds none of the store's locks: it does the unlinking.
     */
    void serve() {
        while (pending.get() && deleting.tryLock()) {
            boolean manifestBusy = false;
            try {
                while (!closed && !manifestBusy && pending.getAndSet(false)) {
                    if (!manifestLock.tryLock()) {
                        pending.set(true);
                        manifestBusy = true;
                        continue;
                    }
                    List<StoreDirectory.Entry> doomed;
                    try {
                        doomed = list();
                    } finally {
                        manifestLock.unlock();
                    }
                    unlink(doomed);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: could not delete obsolete files: {}", directory, e.toString());
            } finally {
                deleting.unlock();
            }
            if (closed || manifestBusy && manifestLock.isLocked()) {
                return; // closed: nothing more is deleted; busy: the holder serves it once its edit is published
            }
        }
    }

    /** Deletes what is obsolete now, waiting for a deletion or MANIFEST write under way; used at open. */
    void deleteNow() throws IOException {
        deleting.lock();
        try {
            pending.set(false);
            List<StoreDirectory.Entry> doomed;
            manifestLock.lock();
            try {
                doomed = closed ? List.of() : list();
            } finally {
                manifestLock.unlock();
            }
            unlink(doomed);
        } finally {
            deleting.unlock();
        }
    }

    /** Waits for a deletion under way; none runs afterwards (the store's files are its own until its lock goes). */
    @Override
    public void close() {
        deleting.lock();
        try {
            closed = true;
        } finally {
            deleting.unlock();
        }
    }

    /** The obsolete files now. Requires the MANIFEST lock. */
    private List<StoreDirectory.Entry> list() throws IOException {
        assert manifestLock.isHeldByCurrentThread();
        Plan now = plan.get();
        List<StoreDirectory.Entry> doomed = new ArrayList<>();
        if (now == null) {
            // After a failed write the MANIFEST on disk may name files no version here knows of
            // (an edit appended but not synced): leave every file; the next open sorts them out.
            return doomed;
        }
        LevelState current = now.current();
        for (StoreDirectory.Entry entry : StoreDirectory.list(storage, directory).entries()) {
            if (entry.parsed().isEmpty()) {
                continue;
            }
            long number = entry.number();
            boolean obsolete = switch (entry.parsed().get().type()) {
                case LOG -> number < current.logNumber() && number != now.walNumber();
                case MANIFEST -> number != now.manifestNumber();
                case TABLE, LEGACY_TABLE -> !now.live().tables().contains(number)
                        && number < now.live().nextFileNumber();
                case TEMP -> true;
                default -> false;
            };
            if (obsolete) {
                doomed.add(entry);
            }
        }
        return doomed;
    }

    private void unlink(List<StoreDirectory.Entry> doomed) throws IOException {
        for (StoreDirectory.Entry entry : doomed) {
            if (entry.is(FileType.TABLE) || entry.is(FileType.LEGACY_TABLE)) {
                tables.evict(entry.number());
            }
            if (lost.keeps(entry.path())) {
                lost.move(storage, directory, entry.path());
            } else {
                LOG.debug("{}: deleting obsolete {}", directory, entry.path().getFileName());
                storage.delete(entry.path());
            }
        }
    }
}
