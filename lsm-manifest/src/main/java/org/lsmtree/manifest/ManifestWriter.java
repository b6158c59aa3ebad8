package org.lsmtree.manifest;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.log.LogWriter;
import org.lsmtree.format.storage.Storage;

/**
 * Writes a MANIFEST: a new file that starts with one snapshot edit of a whole {@link LevelState}
 * (synced before {@link #create} returns), then one log record per appended edit. The writer keeps
 * the state its edits add up to and refuses an edit that would break an invariant of
 * {@link LevelState} (the caller's mistake: {@link IllegalArgumentException}), so what it writes
 * always replays. It never switches {@code CURRENT}; that is {@link CurrentFile#write}, after the
 * snapshot is durable.
 *
 * <p>An edit counts once {@link #sync()} has returned after it: an edit appended but not synced may
 * be lost or torn by a crash (a reader drops such a tail whole). After a failed append the file's
 * end is unknown, so every later call fails with {@link IllegalStateException}: start a new MANIFEST.
 *
 * <p>Not thread-safe: the engine serializes edits.
 */
public final class ManifestWriter implements Closeable {
    private final Path file;
    private final long manifestNumber;
    private final LogWriter log;
    private LevelState state;
    private boolean failed;

    private ManifestWriter(Path file, long manifestNumber, LogWriter log, LevelState state) {
        this.file = file;
        this.manifestNumber = manifestNumber;
        this.log = log;
        this.state = state;
    }

    /**
     * Creates {@code MANIFEST-<manifestNumber>} in {@code directory} (replacing a file of that name),
     * writes the snapshot edit of {@code snapshot}, syncs it, and syncs the directory so that the
     * new name survives a crash before {@code CURRENT} is switched to it. {@code manifestNumber} must be
     * below the snapshot's next file number when that is set.
     */
    public static ManifestWriter create(Storage storage, Path directory, long manifestNumber, LevelState snapshot)
            throws IOException {
        checkNotNull(storage, "storage");
        checkNotNull(snapshot, "snapshot");
        checkArgument(manifestNumber >= 1, "MANIFEST number %s is not positive", manifestNumber);
        checkArgument(snapshot.nextFileNumber == null || manifestNumber < snapshot.nextFileNumber(),
                "MANIFEST number %s is not below the next file number %s", manifestNumber, snapshot.nextFileNumber());
        VersionEdit snapshotEdit = snapshot.toSnapshotEdit();
        LevelState start = applyOrReject(LevelState.empty(snapshot.comparator()), snapshotEdit);
        Path file = FileNames.manifestFile(directory, manifestNumber);
        ManifestWriter writer = new ManifestWriter(file, manifestNumber, new LogWriter(storage.create(file)), start);
        try {
            writer.write(snapshotEdit);
            writer.sync();
            // The new file's name must be durable before CURRENT can point at it.
            storage.syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            writer.closeQuietly(e);
            throw e;
        }
        return writer;
    }

    /**
     * Appends {@code edit} as one record (not yet durable: call {@link #sync()}) and returns the
     * state after it. An edit that breaks an invariant is rejected before anything is written.
     */
    public LevelState append(VersionEdit edit) throws IOException {
        checkNotNull(edit, "edit");
        LevelState next = applyOrReject(state, edit);
        write(edit);
        state = next;
        return next;
    }

    /** Makes every appended edit durable. */
    public void sync() throws IOException {
        checkState();
        log.sync();
    }

    /** The state the snapshot and every appended edit add up to. */
    public LevelState state() {
        return state;
    }

    public Path file() {
        return file;
    }

    public long manifestNumber() {
        return manifestNumber;
    }

    /** The file's length: the offset after the last record appended. */
    public long size() {
        return log.position();
    }

    /** Closes the file without syncing it. */
    @Override
    public void close() throws IOException {
        log.close();
    }

    private void write(VersionEdit edit) throws IOException {
        checkState();
        ByteBuf record = Unpooled.buffer();
        try {
            VersionEditCodec.INSTANCE.encode(edit, record);
            failed = true;
            log.addRecord(record);
            failed = false;
        } finally {
            record.release();
        }
    }

    private void checkState() {
        if (failed) {
            throw new IllegalStateException("an earlier append to " + file + " failed; start a new MANIFEST");
        }
    }

    private static LevelState applyOrReject(LevelState state, VersionEdit edit) {
        try {
            return state.apply(edit);
        } catch (CorruptionException e) {
            throw new IllegalArgumentException("edit breaks the level state: " + e.reason(), e);
        }
    }

    private void closeQuietly(Exception cause) {
        try {
            log.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
