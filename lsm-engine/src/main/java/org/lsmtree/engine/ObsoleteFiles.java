package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
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
 * <p>Deletion runs under the store's write lock, but a reader that lets go of the last reference
 * to a version never waits for that lock: it asks for a deletion ({@link #requested}), and
 * whoever holds the lock deletes before letting it go ({@link #unlock}). {@link #delete} is not
 * thread-safe (the lock serializes it); the request flag is atomic.
 */
final class ObsoleteFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ObsoleteFiles.class);

    private final Storage storage;
    private final Path directory;
    private final TableCache tables;
    private final LostFolder lost;
    /** Set when a released version may have left files to delete and the lock was busy. */
    private final java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();

    ObsoleteFiles(Storage storage, Path directory, TableCache tables, LostFolder lost) {
        this.storage = storage;
        this.directory = directory;
        this.tables = tables;
        this.lost = lost;
    }

    /** Asks for a deletion: served now if {@code lock} is free, else by its holder when it unlocks. */
    void requested(java.util.concurrent.locks.ReentrantLock lock, Runnable deleteLocked) {
        pending.set(true);
        if (lock.tryLock()) {
            unlock(lock, deleteLocked);
        }
    }

    /**
     * Unlocks {@code lock} (held by the caller), first running {@code deleteLocked} if a deletion
     * was asked for; a request that arrives while it unlocks is served by taking the lock again if
     * it is free.
     */
    void unlock(java.util.concurrent.locks.ReentrantLock lock, Runnable deleteLocked) {
        do {
            try {
                while (pending.getAndSet(false)) {
                    deleteLocked.run();
                }
            } finally {
                lock.unlock();
            }
        } while (pending.get() && !lock.isHeldByCurrentThread() && lock.tryLock());
    }

    /**
     * Deletes what is obsolete given the current state, the live tables and the next file number
     * read together ({@link VersionSet#liveSnapshot}: a table at or above that number is being
     * written), the WAL being written and the current MANIFEST.
     */
    void delete(LevelState current, VersionSet.Live live, long walNumber, long manifestNumber) throws IOException {
        for (StoreDirectory.Entry entry : StoreDirectory.list(storage, directory).entries()) {
            if (entry.parsed().isEmpty()) {
                continue;
            }
            long number = entry.number();
            boolean table = entry.is(FileType.TABLE) || entry.is(FileType.LEGACY_TABLE);
            boolean obsolete = switch (entry.parsed().get().type()) {
                case LOG -> number < current.logNumber() && number != walNumber;
                case MANIFEST -> number != manifestNumber;
                case TABLE, LEGACY_TABLE -> !live.tables().contains(number) && number < live.nextFileNumber();
                case TEMP -> true;
                default -> false;
            };
            if (!obsolete) {
                continue;
            }
            if (table) {
                tables.evict(number);
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
