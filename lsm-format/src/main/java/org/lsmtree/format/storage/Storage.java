package org.lsmtree.format.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The only way the project touches files. Everything that reads or writes a store goes through a
 * {@code Storage}, which is how crash and corruption tests run the same code on an in-memory file
 * system behind crash-simulating and fault-injecting wrappers.
 *
 * <p>Paths are {@link java.nio.file.Path}s of the file system the implementation serves; an
 * implementation rejects a path of another file system with {@link IllegalArgumentException}.
 *
 * <p><b>Durability model.</b> Bytes appended to a {@link WritableFile} are durable only after
 * {@link WritableFile#sync()} returns. A directory change (a file created, renamed or deleted) is
 * durable only after {@link #syncDirectory(Path)} on its parent returns. A crash may lose
 * anything that is not durable; {@code lsm-testing}'s crash-simulating storage models exactly this.
 *
 * <p><b>Thread safety.</b> Implementations are safe for use by many threads; the file handles they
 * return are not, unless their own documentation says so.
 */
public interface Storage {

    /**
     * Creates a file for writing, replacing any file of that name (its old content is discarded).
     * The parent directory must exist.
     */
    WritableFile create(Path file) throws IOException;

    /**
     * Creates a file for appending, as {@link #create} does, that a storage which can map files
     * appends to through a shared memory mapping grown in chunks of {@code chunkSize} bytes: an
     * append is then a copy into the page cache, no system call, and survives a crash of the
     * process at once ({@link WritableFile#flush()} has nothing to do). Until it is closed, the file
     * is a whole number of chunks long and zero after the bytes appended; a process that dies
     * leaves it so, and its readers must take that zero-filled end for unused space (the log
     * framing does: {@code docs/format/log.md}, "Unused preallocation"). Closing truncates it to
     * the bytes appended. The default, which wrappers such as the test storages inherit (so their
     * faults still apply), is {@link #create}.
     */
    default WritableFile createMappedAppend(Path file, int chunkSize) throws IOException {
        return create(file);
    }

    /**
     * Opens a file for appending at its end, creating it empty when missing. The parent directory
     * must exist.
     */
    WritableFile openAppendable(Path file) throws IOException;

    /**
     * Opens an existing file for reading from its start. A path that is not a regular file (a
     * directory, a named pipe, a device, a link to one) is refused with an {@link IOException}
     * naming it, before anything is opened.
     */
    SequentialFile openSequential(Path file) throws IOException;

    /** Opens an existing file for reads at any offset; refuses what is not a regular file, as above. */
    RandomReadFile openRandomRead(Path file) throws IOException;

    /**
     * Opens an existing file that will not change (a table) for reads at any offset, through a
     * memory mapping where the storage can map it, else as {@link #openRandomRead} does (the
     * default, which wrappers such as the test storages inherit, so their faults still apply).
     * The file behaves as one from {@link #openRandomRead}, closing included.
     */
    default RandomReadFile openMapped(Path file) throws IOException {
        return openRandomRead(file);
    }

    /**
     * Renames {@code source} to {@code target} atomically, replacing {@code target} when it exists.
     * Both must be in the same directory's file system; the rename is durable after the directory
     * is synced.
     */
    void rename(Path source, Path target) throws IOException;

    /** Deletes a file. A missing file is an error ({@link java.nio.file.NoSuchFileException}). */
    void delete(Path file) throws IOException;

    /** Whether a file or directory of that name exists. */
    boolean exists(Path path) throws IOException;

    /** The size in bytes of an existing file. */
    long size(Path file) throws IOException;

    /** The entries of a directory, as paths inside it, sorted by name. */
    List<Path> list(Path directory) throws IOException;

    /** Creates a directory and any missing parents; an existing directory is fine. */
    void createDirectories(Path directory) throws IOException;

    /** Makes the creates, renames and deletes done in a directory durable. */
    void syncDirectory(Path directory) throws IOException;

    /**
     * Takes the exclusive lock on a lock file (LevelDB's {@code LOCK}), creating it when missing.
     * Fails with a {@link LockHeldException} naming the file when another holder, in this process
     * or another, has it; any other failure (the directory is missing, read-only or not a
     * directory, the lock file is a directory or not a regular file) is a plain
     * {@link IOException} that names the file and says what failed. The lock is released by
     * closing the returned handle.
     */
    StorageLock lock(Path lockFile) throws IOException;
}
