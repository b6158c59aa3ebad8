package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestWriter;
import org.lsmtree.manifest.VersionEdit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's tables over time, as LevelDB's version set: the MANIFEST writer, the file numbers,
 * the current {@link Version} and every version still held by a reader, and the numbers of
 * tables being written that no version lists yet ("pending outputs").
 *
 * <p>Invariants: the current version is the state the MANIFEST's synced edits add up to (an edit
 * is synced before its version becomes current); every file number handed out is below the next
 * file number that the next edit records; a table is obsolete only when no live version lists it
 * and it is not a pending output, so a flush or compaction building tables without the store's
 * write lock never sees them deleted.
 *
 * <p>Threads: {@link #logAndApply} and {@link #rotate} are called only under the
 * {@link VersionInstaller}'s MANIFEST lock (one edit at a time, as the MANIFEST writer is not
 * thread-safe), not under the store's write lock; {@link #newOutputNumber}, {@link #current},
 * {@link #liveTables} and the release of versions are thread-safe and take no lock. After a
 * failed MANIFEST write the file's end is unknown: every later edit is refused until a rotation
 * starts a new MANIFEST, and {@link #undecided} says so (deletion then leaves every file).
 */
final class VersionSet implements java.io.Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(VersionSet.class);
    private final TableCache tables;
    private final Runnable onVersionReleased;
    private final Set<Version> liveVersions = ConcurrentHashMap.newKeySet();
    private final Set<Long> pendingOutputs = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextFileNumber;
    private final Storage storage;
    private final Path directory;
    private final long maxManifestBytes;
    /** Null for a store opened read-only; replaced when the MANIFEST rotates. */
    private volatile ManifestWriter manifest;
    private volatile Version current;
    /** The failure of a MANIFEST write since the last rotation, or null. */
    private volatile IOException failed;
    /** Null when reads charge no seeks. */
    private final SeekCompactions seeks;
    /** The iterators' read sampling, charging the current version; null when reads charge no seeks. */
    private final ReadSampler readSampler;

    /**
     * @param onVersionReleased called (on the releasing thread, without a lock) when a version
     *     nobody holds any more may have left files to delete
     * @param seeks where the versions' reads charge seeks, or null for none
     */
    VersionSet(Storage storage, Path directory, long maxManifestBytes, ManifestWriter manifest, LevelState state,
            long nextFileNumber, TableCache tables, Runnable onVersionReleased, SeekCompactions seeks) {
        this.seeks = seeks;
        this.readSampler = seeks == null ? null : new ReadSampler(() -> current);
        this.storage = storage;
        this.directory = directory;
        this.maxManifestBytes = maxManifestBytes;
        this.manifest = manifest;
        this.tables = tables;
        this.onVersionReleased = onVersionReleased;
        this.nextFileNumber = new AtomicLong(nextFileNumber);
        this.current = newVersion(state);
    }

    /** The current version; it holds a reference of its own until a newer one replaces it. */
    Version current() {
        return current;
    }

    /** The store's read sampling for its iterators, charging the current version; null when reads charge no seeks. */
    ReadSampler readSampler() {
        return readSampler;
    }

    /** A new file number (a log or a MANIFEST). Thread-safe. */
    long newFileNumber() {
        return nextFileNumber.getAndIncrement();
    }

    /**
     * A new file number for a table about to be written; it stays live until {@link #forgetOutputs}.
     * Taken under this set's monitor, with the number protected in the same step, so that
     * {@link #liveSnapshot} never sees the number handed out but not yet protected.
     */
    synchronized long newOutputNumber() {
        long number = nextFileNumber.getAndIncrement();
        pendingOutputs.add(number);
        return number;
    }

    /** The next file number and the live tables, read in one step; see {@link #liveSnapshot}. */
    record Live(long nextFileNumber, Set<Long> tables) {}

    /**
     * The next file number and every live table (listed by a live version, or a pending output),
     * read together: a table numbered below that next number and not among these is obsolete,
     * since any table written from now on takes a number at or above it. (Read apart, a number
     * handed out in between would be above neither bound and its table deleted while written.)
     */
    synchronized Live liveSnapshot() {
        return new Live(nextFileNumber.get(), liveTables());
    }

    /** Ends the protection of tables written: they are now listed by a version, or were discarded. */
    void forgetOutputs(Collection<Long> numbers) {
        pendingOutputs.removeAll(numbers);
    }

    long nextFileNumber() {
        return nextFileNumber.get();
    }

    long manifestNumber() {
        return manifest.manifestNumber();
    }

    long manifestBytes() {
        return manifest.size();
    }

    /**
     * Records {@code edit} in the MANIFEST, durably (with the next file number and
     * {@code lastSequence}), and makes the state after it the current version, which it returns
     * (the caller publishes it and releases the old one). Requires the MANIFEST lock.
     */
    Version logAndApply(VersionEdit edit, long lastSequence) throws IOException {
        checkState(manifest != null, "a read-only store writes no MANIFEST");
        if (failed != null) {
            throw new IOException("an earlier write to " + manifest.file().getFileName()
                    + " failed, its end is unknown; resume() starts a new MANIFEST", failed);
        }
        if (manifest.size() >= maxManifestBytes) {
            return rotate(edit, lastSequence);
        }
        edit.setNextFileNumber(nextFileNumber.get()).setLastSequence(lastSequence);
        try {
            LevelState state = manifest.append(edit);
            manifest.sync();
            current = newVersion(state);
        } catch (IOException | RuntimeException e) {
            markFailed(e);
            throw e;
        }
        return current;
    }

    /**
     * Whether a MANIFEST write failed since the last rotation: the MANIFEST on disk may then hold an
     * edit no version here knows of (appended, not synced), naming files no version lists.
     */
    boolean undecided() {
        return failed != null;
    }

    /**
     * Starts a new MANIFEST holding one snapshot edit of the current state with {@code edit}
     * applied, with the steps of an open: the new file and its name are durable before
     * {@code CURRENT} names it; the old MANIFEST is then obsolete. Used when the MANIFEST has
     * grown past its size, and to resume after a failed write, when the old one's end is unknown.
     * Requires the MANIFEST lock.
     */
    Version rotate(VersionEdit edit, long lastSequence) throws IOException {
        checkState(manifest != null, "a read-only store writes no MANIFEST");
        long number = newFileNumber();
        edit.setNextFileNumber(nextFileNumber.get()).setLastSequence(lastSequence);
        ManifestWriter next;
        try {
            next = ManifestWriter.create(storage, directory, number, current.state().apply(edit));
        } catch (IOException | RuntimeException e) {
            markFailed(e); // a partial MANIFEST file may be left
            throw e;
        }
        try {
            CurrentFile.write(storage, directory, number);
        } catch (IOException | RuntimeException e) {
            markFailed(e); // CURRENT may name either one now
            next.close();
            throw e;
        }
        ManifestWriter old = manifest;
        manifest = next;
        failed = null;
        try {
            old.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: closing the replaced {} failed: {}", directory, old.file().getFileName(), e.toString());
        }
        LOG.info("{}: started {} (the last one reached {} bytes or failed)", directory, next.file().getFileName(),
                old.size());
        current = newVersion(next.state());
        return current;
    }

    private void markFailed(Exception e) {
        failed = e instanceof IOException io ? io : new IOException(e);
    }

    /** Every table a live version lists, and every pending output. */
    Set<Long> liveTables() {
        Set<Long> live = new HashSet<>(current.state().liveFiles().keySet());
        for (Version version : liveVersions) {
            live.addAll(version.state().liveFiles().keySet());
        }
        live.addAll(pendingOutputs);
        return live;
    }

    private Version newVersion(LevelState state) {
        Version version = new Version(state, tables, released -> {
            liveVersions.remove(released);
            onVersionReleased.run();
        }, current, seeks);
        liveVersions.add(version);
        return version;
    }

    @Override
    public void close() throws IOException {
        if (manifest != null) {
            manifest.close();
        }
    }
}
