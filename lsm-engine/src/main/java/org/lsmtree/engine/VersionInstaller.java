package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.lsmtree.manifest.VersionEdit;

/**
 * Writes the store's MANIFEST edits one at a time under a lock of their own (the MANIFEST lock),
 * not under the store's write lock, so that writers and readers never wait for a MANIFEST sync
 * (LevelDB lets go of its mutex the same way while it writes the MANIFEST). A flush and a
 * compaction may both be ready to install: the one that takes the MANIFEST lock first writes
 * first, and the {@link VersionSet} hands each the state after every edit so far.
 *
 * <p>Lock order: the MANIFEST lock before the write lock. {@link #logAndApply} lets the write
 * lock go before it takes the MANIFEST lock, and takes the write lock again before it lets the
 * MANIFEST lock go: versions are therefore published (under the write lock) in the order their
 * edits reach the MANIFEST, and a newer version is never replaced by an older one. No thread
 * waits for the MANIFEST lock while it holds the write lock, except {@link #rotate} in a resume,
 * when no flush or compaction runs (so no holder of the MANIFEST lock waits for the write lock);
 * deletion of obsolete files takes it only with {@code tryLock} and never takes the write lock.
 *
 * <p>Thread-safe.
 */
final class VersionInstaller {
    private final ReentrantLock writeLock;
    private final ReentrantLock manifestLock = new ReentrantLock();
    private final VersionSet versions;

    VersionInstaller(ReentrantLock writeLock, VersionSet versions) {
        this.writeLock = writeLock;
        this.versions = versions;
    }

    /** The lock every MANIFEST write holds; deletion lists the files it may delete under it. */
    ReentrantLock manifestLock() {
        return manifestLock;
    }

    /**
     * Records {@code edit} durably with the last sequence {@code lastSequence} gives at that
     * moment, and returns the version after it, now current in the {@link VersionSet}, for the
     * caller to publish. Requires the write lock, held once: it is let go while the edit is written
     * and synced, and held again when this returns or throws. After a failure the MANIFEST's end
     * is unknown: the version set refuses further edits until a {@link #rotate}.
     */
    Version logAndApply(VersionEdit edit, LongSupplier lastSequence) throws IOException {
        checkState(writeLock.getHoldCount() == 1, "the write lock must really be let go while the MANIFEST is synced");
        writeLock.unlock();
        boolean relocked = false;
        manifestLock.lock();
        try {
            Version version = versions.logAndApply(edit, lastSequence.getAsLong());
            writeLock.lock(); // before the MANIFEST lock goes: the next edit's version is published after this one
            relocked = true;
            return version;
        } finally {
            if (!relocked) {
                writeLock.lock();
            }
            manifestLock.unlock();
        }
    }

    /**
     * Starts a new MANIFEST (see {@link VersionSet#rotate}). Requires the write lock, kept, and no
     * flush or compaction in progress.
     */
    Version rotate(VersionEdit edit, long lastSequence) throws IOException {
        assert writeLock.isHeldByCurrentThread();
        manifestLock.lock();
        try {
            return versions.rotate(edit, lastSequence);
        } finally {
            manifestLock.unlock();
        }
    }
}
