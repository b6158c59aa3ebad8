package org.lsmtree.format.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held lock on a lock file: an OS-level {@link FileLock} (excludes other processes) plus an
 * entry in {@link #HELD}, the registry of lock files held by this JVM (excludes this process).
 *
 * <p>Invariant: a key is in {@link #HELD} exactly while one open {@code NioStorageLock} holds it.
 * The registry is keyed by file system and the lock file's absolute path with the parent's
 * symbolic links resolved, and it is consulted before a channel on the file is opened: on POSIX,
 * closing any channel of a file releases every lock this process holds on that file.
 *
 * <p>Thread-safe.
 */
final class NioStorageLock implements StorageLock {

    private static final Set<Key> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final Key key;
    private final FileChannel channel;
    private final FileLock fileLock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NioStorageLock(Path file, Key key, FileChannel channel, FileLock fileLock) {
        this.file = file;
        this.key = key;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Takes the lock on {@code file}, creating it when missing. Fails with a
     * {@link LockHeldException} when a holder has it, and otherwise with an {@link IOException}
     * that names the file and says what failed (its directory is missing or is not one, the file
     * is not a regular file, it cannot be created or opened for writing).
     */
    static StorageLock acquire(Path file) throws IOException {
        Key key;
        try {
            checkParentIsDirectory(file);
            NioStorage.checkNotSpecial(file);
            key = keyOf(file);
        } catch (IOException e) {
            throw cannotLock(file, e);
        }
        if (!HELD.add(key)) {
            throw new LockHeldException(file, "this process (another open of the same store)");
        }
        FileChannel channel = null;
        try {
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw cannotLock(file, e);
            }
            FileLock fileLock = tryLock(file, channel);
            if (fileLock == null) {
                throw new LockHeldException(file, "another process");
            }
            return new NioStorageLock(file, key, channel, fileLock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static FileLock tryLock(Path file, FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            LockHeldException held = new LockHeldException(file, "this process, outside lsmtree");
            held.initCause(e);
            throw held;
        } catch (IOException e) {
            throw cannotLock(file, e);
        }
    }

    private static void checkParentIsDirectory(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new FileSystemException(parent.toString(), null,
                    Files.exists(parent) ? "is not a directory" : "does not exist");
        }
    }

    /** The failure to create, open or lock {@code file}, saying what failed and why. */
    private static IOException cannotLock(Path file, IOException cause) {
        String reason;
        if (cause instanceof AccessDeniedException) {
            reason = "permission denied (" + cause.getMessage() + ")";
        } else if (cause instanceof FileSystemException && ((FileSystemException) cause).getReason() != null) {
            FileSystemException failure = (FileSystemException) cause;
            reason = failure.getFile() + ": " + failure.getReason();
        } else {
            reason = cause.toString();
        }
        return new IOException("cannot create, open or lock the lock file " + file + ": " + reason, cause);
    }

    private static Key keyOf(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        Path resolved = parent == null ? absolute
                : parent.toRealPath().resolve(absolute.getFileName().toString());
        return new Key(file.getFileSystem(), resolved.toString());
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (channel) {
            fileLock.release();
        } finally {
            HELD.remove(key);
        }
    }

    @Override
    public String toString() {
        return "NioStorageLock[" + file + (closed.get() ? ", released]" : "]");
    }

    /** Identifies a lock file across every {@link NioStorage} of this JVM. */
    private record Key(FileSystem fileSystem, String path) {}
}
