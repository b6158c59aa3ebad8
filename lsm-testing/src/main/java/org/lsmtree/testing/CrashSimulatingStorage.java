package org.lsmtree.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.format.storage.WritableFile;

/**
 * A {@link Storage} on a private jimfs file system that knows, for each file, how many bytes were
 * flushed and how many synced, and for each directory which creates, renames and deletes were
 * made durable by {@link #syncDirectory}; from that it builds the state a crash in one of the
 * {@link CrashMode}s would leave ({@link #afterCrash}), as a fresh storage with the same paths.
 * A test takes the states of every crash point in one run by building them from a listener
 * called after each operation ({@link #afterEachOperation}).
 *
 * <p>Every mutating operation ({@link OperationKind#isMutating()}) is numbered from 1, logged
 * ({@link #operationLog()}) and counted ({@link #operationCount()}). After {@link #crashAfter}
 * {@code k}, operation {@code k + 1} and every later mutating operation throw
 * {@link SimulatedCrashException} and change nothing; reads keep working.
 *
 * <p>Model: files are inodes (a rename keeps the inode, a delete unlinks it, {@code create} of an
 * existing name links a new inode in its place as if the old file had been deleted); a
 * directory's entries become durable when that directory is synced; a rename across directories
 * is an unlink plus a link, each durable with its own directory. Directories are durable once
 * created; deleting an empty directory is durable at once; renaming a directory is not supported.
 * The lock file is an ordinary (empty) file; who holds the lock is not part of the crash state.
 *
 * <p>Thread-safe: every operation synchronizes on this storage. Paths are those of
 * {@link #fileSystem()} (use {@link #path}).
 */
public final class CrashSimulatingStorage implements Storage, Closeable {

    private final FileSystem fileSystem;
    private final NioStorage live;
    private final DurabilityModel model = new DurabilityModel();
    private final List<String> log = new ArrayList<>();
    private long operationCount;
    private long crashAfter = Long.MAX_VALUE;
    private LongConsumer listener = operation -> { };

    private CrashSimulatingStorage(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
        this.live = NioStorage.of(fileSystem);
        for (Path root : fileSystem.getRootDirectories()) {
            model.directoryCreated(root.toString());
        }
        model.directoryCreated(fileSystem.getPath("").toAbsolutePath().toString());
    }

    /** An empty storage over a new jimfs file system (Unix flavour: root {@code /}). */
    public static CrashSimulatingStorage create() {
        return new CrashSimulatingStorage(Jimfs.newFileSystem(Configuration.unix()));
    }

    /** The jimfs file system this storage serves. */
    public FileSystem fileSystem() {
        return fileSystem;
    }

    /** A path of this storage's file system, as {@link FileSystem#getPath}. */
    public Path path(String first, String... more) {
        return fileSystem.getPath(first, more);
    }

    /** The number of mutating operations done so far (the last one's number). */
    public synchronized long operationCount() {
        return operationCount;
    }

    /** The mutating operations so far, one line each: number, kind, path. */
    public synchronized List<String> operationLog() {
        return List.copyOf(log);
    }

    /**
     * Crashes right after operation {@code k}: operation {@code k + 1} and all later mutating
     * operations throw {@link SimulatedCrashException}. A {@code k} already passed crashes now.
     */
    public synchronized void crashAfter(long k) {
        checkArgument(k >= 0, "negative operation number %s", k);
        crashAfter = k;
    }

    /**
     * Calls {@code listener} with each mutating operation's number once the operation has taken
     * effect (an operation that fails is not reported), on the thread that made it and under this
     * storage's monitor: the moment to take {@link #afterCrash} states of a crash right after it,
     * without running the workload again up to that point. A listener should not throw (what it
     * throws reaches the caller of the operation, which may treat it as an I/O failure). One at a
     * time; it replaces the previous one.
     */
    public synchronized void afterEachOperation(LongConsumer listener) {
        this.listener = checkNotNull(listener, "listener");
    }

    /** Reports the operation {@link #beginOperation} numbered last as done. */
    void operationDone() {
        assert Thread.holdsLock(this) : "operations are reported under the storage's monitor";
        listener.accept(operationCount);
    }

    /** Crashes now: {@code crashAfter(operationCount())}. */
    public synchronized void crash() {
        crashAfter = operationCount;
    }

    /** Whether the crash point is reached: mutating operations now fail. */
    public synchronized boolean isCrashed() {
        return operationCount >= crashAfter;
    }

    /** Directory changes not yet made durable, oldest first, for failure messages. */
    public synchronized List<String> pendingDirectoryChanges() {
        return model.pendingChanges().stream().map(DirectoryChange::toString).toList();
    }

    /**
     * The state a crash in {@code mode} would leave now, as a new storage over a new jimfs file
     * system with the same directories and file paths, every file durable, no lock held and the
     * operation count at 0. {@code seed} drives {@link CrashMode#TORN} and
     * {@link CrashMode#GARBAGE_TAIL}. This storage is unchanged
     * (call it again for another mode or seed).
     */
    public synchronized CrashSimulatingStorage afterCrash(CrashMode mode, long seed)
            throws IOException {
        checkNotNull(mode, "mode");
        CrashSimulatingStorage crashed = create();
        for (String directory : model.directories()) {
            Files.createDirectories(crashed.fileSystem.getPath(directory));
            crashed.model.directoryCreated(directory);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (DurabilityModel.CrashedFile file : model.crashState(mode, random)) {
            Files.write(crashed.fileSystem.getPath(file.directory(), file.name()), file.content());
            crashed.model.restored(file.directory(), file.name(), file.content());
        }
        return crashed;
    }

    @Override
    public synchronized WritableFile create(Path file) throws IOException {
        beginOperation(OperationKind.CREATE, file);
        String dir = directoryOf(file);
        String name = nameOf(file);
        if (model.inode(dir, name) != null) {
            Files.delete(file); // a new inode: handles still open on the old one write there
        }
        WritableFile delegate = live.create(file);
        CrashWritableFile created = new CrashWritableFile(this, file, delegate, model.created(dir, name));
        operationDone();
        return created;
    }

    @Override
    public synchronized WritableFile openAppendable(Path file) throws IOException {
        beginOperation(OperationKind.OPEN_APPENDABLE, file);
        Inode inode = model.inode(directoryOf(file), nameOf(file));
        WritableFile delegate = live.openAppendable(file);
        if (inode == null) {
            inode = model.created(directoryOf(file), nameOf(file));
        }
        CrashWritableFile opened = new CrashWritableFile(this, file, delegate, inode);
        operationDone();
        return opened;
    }

    @Override
    public SequentialFile openSequential(Path file) throws IOException {
        return live.openSequential(file);
    }

    @Override
    public RandomReadFile openRandomRead(Path file) throws IOException {
        return live.openRandomRead(file);
    }

    @Override
    public synchronized void rename(Path source, Path target) throws IOException {
        checkArgument(!Files.isDirectory(source),
                "%s is a directory; CrashSimulatingStorage renames files only", source);
        beginOperation(OperationKind.RENAME, source, target);
        live.rename(source, target);
        model.renamed(directoryOf(source), nameOf(source), directoryOf(target), nameOf(target));
        operationDone();
    }

    @Override
    public synchronized void delete(Path file) throws IOException {
        beginOperation(OperationKind.DELETE, file);
        boolean directory = Files.isDirectory(file);
        live.delete(file);
        if (directory) {
            model.directoryDeleted(normalized(file));
        } else {
            model.deleted(directoryOf(file), nameOf(file));
        }
        operationDone();
    }

    @Override
    public boolean exists(Path path) {
        return live.exists(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return live.size(file);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return live.list(directory);
    }

    @Override
    public synchronized void createDirectories(Path directory) throws IOException {
        beginOperation(OperationKind.CREATE_DIRECTORIES, directory);
        live.createDirectories(directory);
        Path absolute = directory.toAbsolutePath().normalize();
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            model.directoryCreated(dir.toString());
        }
        operationDone();
    }

    @Override
    public synchronized void syncDirectory(Path directory) throws IOException {
        beginOperation(OperationKind.SYNC_DIRECTORY, directory);
        live.syncDirectory(directory);
        model.directorySynced(normalized(directory));
        operationDone();
    }

    @Override
    public synchronized StorageLock lock(Path lockFile) throws IOException {
        beginOperation(OperationKind.LOCK, lockFile);
        boolean existed = Files.exists(lockFile);
        StorageLock lock = live.lock(lockFile);
        if (!existed) {
            model.created(directoryOf(lockFile), nameOf(lockFile));
        }
        operationDone();
        return lock;
    }

    /** Closes the jimfs file system; the storage is unusable afterwards. */
    @Override
    public void close() throws IOException {
        fileSystem.close();
    }

    /** Numbers and logs a mutating operation, or throws when the crash point is reached. */
    void beginOperation(OperationKind kind, Path... paths) throws SimulatedCrashException {
        assert Thread.holdsLock(this) : "operations are numbered under the storage's monitor";
        for (Path path : paths) {
            checkNotNull(path, "path");
            checkArgument(path.getFileSystem() == fileSystem,
                    "%s belongs to another file system than this storage's", path);
        }
        StringBuilder line = new StringBuilder().append('#').append(operationCount + 1)
                .append(' ').append(kind);
        for (Path path : paths) {
            line.append(' ').append(path);
        }
        if (operationCount >= crashAfter) {
            throw new SimulatedCrashException("simulated crash after operation #" + crashAfter
                    + "; refused " + line);
        }
        operationCount++;
        log.add(line.toString());
    }

    private static String normalized(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private static String directoryOf(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        checkArgument(parent != null, "%s is a root, not a file", file);
        return parent.toString();
    }

    private static String nameOf(Path file) {
        return file.toAbsolutePath().normalize().getFileName().toString();
    }

    @Override
    public String toString() {
        return "CrashSimulatingStorage[" + operationCount + " operations"
                + (isCrashed() ? ", crashed]" : "]");
    }
}
