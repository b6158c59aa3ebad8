package org.lsmtree.format.storage;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Storage} on a {@link java.nio.file.FileSystem}: the default one, or an in-memory one
 * such as jimfs. Obtain one with {@link #onDefaultFileSystem()} or {@link #of(FileSystem)}.
 *
 * <p>Files: a {@link WritableFile} keeps a 64 KiB user-space buffer over a {@link FileChannel};
 * {@code flush} writes the buffer to the channel, {@code sync} flushes and then forces the
 * channel ({@code force(true)}). A {@link RandomReadFile} reads with positional
 * {@link FileChannel#read(java.nio.ByteBuffer, long)} and is safe for concurrent readers;
 * {@link #openMapped} maps the file instead, on the default file system, and
 * {@link #createMappedAppend} appends through a mapping there ({@link MappedAppendFile}).
 *
 * <p>Directories: {@link #rename} is {@link Files#move} with {@code ATOMIC_MOVE} and
 * {@code REPLACE_EXISTING}. {@link #syncDirectory} opens the directory as a channel and forces it;
 * on file systems that cannot open a directory as a channel (jimfs answers
 * {@link FileSystemException} "not a regular file"; Windows refuses too) it does nothing, since
 * there is no directory durability to ask for there.
 *
 * <p>Reads: a path that is not a regular file once its links are followed (a directory, a named
 * pipe, a device such as {@code /dev/zero}) is refused before it is opened, since opening or
 * reading one can block for ever or never end; so is a lock file that is not a regular file.
 *
 * <p>Locks: {@link #lock} takes {@link FileChannel#tryLock()}, which excludes other processes,
 * and also registers the lock file in a registry shared by every {@code NioStorage} of this JVM,
 * which excludes this process (the JDK throws {@code OverlappingFileLockException} there instead,
 * and jimfs's locks never conflict at all). The registry is checked before any channel is opened,
 * because on POSIX closing any channel of a file drops every lock the process holds on it.
 *
 * <p>Paths must belong to this storage's file system ({@link IllegalArgumentException} otherwise).
 * Thread-safe: it holds no mutable state of its own apart from the lock registry.
 */
public final class NioStorage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(NioStorage.class);

    private final FileSystem fileSystem;

    private NioStorage(FileSystem fileSystem) {
        this.fileSystem = checkNotNull(fileSystem, "fileSystem");
    }

    /** A storage on {@code fileSystem}; only paths of that file system are accepted. */
    public static NioStorage of(FileSystem fileSystem) {
        return new NioStorage(fileSystem);
    }

    /** A storage on {@link FileSystems#getDefault()}. */
    public static NioStorage onDefaultFileSystem() {
        return new NioStorage(FileSystems.getDefault());
    }

    /** The file system this storage serves. */
    public FileSystem fileSystem() {
        return fileSystem;
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        checkPath(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        return new NioWritableFile(file, channel, 0);
    }

    /**
     * Appends through a shared mapping ({@link MappedAppendFile}) on the default file system; falls
     * back to {@link #create} elsewhere (jimfs cannot map) and when the first chunk cannot be
     * mapped.
     */
    @Override
    public WritableFile createMappedAppend(Path file, int chunkSize) throws IOException {
        checkPath(file);
        if (fileSystem != FileSystems.getDefault()) {
            return create(file);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new MappedAppendFile(file, channel, chunkSize);
        } catch (IOException | UnsupportedOperationException e) {
            channel.close();
            LOG.debug("{} cannot be mapped for appending; writing it through the channel", file, e);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
        return create(file);
    }

    @Override
    public WritableFile openAppendable(Path file) throws IOException {
        checkPath(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        try {
            return new NioWritableFile(file, channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public SequentialFile openSequential(Path file) throws IOException {
        checkPath(file);
        return new NioSequentialFile(file, openForReading(file));
    }

    @Override
    public RandomReadFile openRandomRead(Path file) throws IOException {
        checkPath(file);
        FileChannel channel = openForReading(file);
        try {
            return new NioRandomReadFile(file, channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Maps the whole file read-only ({@link MappedRandomReadFile}) when it is on the default file
     * system and smaller than 2 GiB; falls back to positional reads otherwise, and when mapping
     * fails (jimfs cannot map; the address space may be exhausted).
     */
    @Override
    public RandomReadFile openMapped(Path file) throws IOException {
        checkPath(file);
        if (fileSystem != FileSystems.getDefault()) {
            return openRandomRead(file);
        }
        FileChannel channel = openForReading(file);
        try (channel) {
            long size = channel.size();
            if (size <= Integer.MAX_VALUE) {
                try {
                    return new MappedRandomReadFile(file, channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
                } catch (IOException | UnsupportedOperationException e) {
                    LOG.debug("{} cannot be mapped; reading it with positional reads", file, e);
                }
            }
        }
        return openRandomRead(file);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        checkPath(source);
        checkPath(target);
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(Path file) throws IOException {
        checkPath(file);
        Files.delete(file);
    }

    @Override
    public boolean exists(Path path) {
        checkPath(path);
        return Files.exists(path);
    }

    @Override
    public long size(Path file) throws IOException {
        checkPath(file);
        return Files.size(file);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        checkPath(directory);
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return entries;
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        checkPath(directory);
        Files.createDirectories(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        checkPath(directory);
        if (!Files.isDirectory(directory)) {
            if (Files.exists(directory)) {
                throw new NotDirectoryException(directory.toString());
            }
            throw new NoSuchFileException(directory.toString());
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) {
            LOG.debug("{} cannot be opened as a channel; directory sync is a no-op", directory, e);
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    @Override
    public StorageLock lock(Path lockFile) throws IOException {
        checkPath(lockFile);
        return NioStorageLock.acquire(lockFile);
    }

    private static FileChannel openForReading(Path file) throws IOException {
        checkNotSpecial(file);
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /**
     * Refuses an existing {@code file} that is not a regular file, its symbolic links followed: a
     * directory, or a named pipe or device (such as {@code /dev/zero}), whose open or read would
     * block for ever or never end. A missing file passes, so that opening it reports it missing.
     * A store's files are only ever regular files.
     */
    static void checkNotSpecial(Path file) throws IOException {
        if (Files.isRegularFile(file) || !Files.exists(file)) {
            return;
        }
        throw new FileSystemException(file.toString(), null, Files.isDirectory(file) ? "is a directory"
                : "is not a regular file (a named pipe, a device or a link to one); refusing to open it");
    }

    private void checkPath(Path path) {
        checkNotNull(path, "path");
        checkArgument(path.getFileSystem() == fileSystem,
                "%s belongs to another file system than this storage's (%s)", path, fileSystem);
    }

    @Override
    public String toString() {
        return "NioStorage[" + fileSystem + "]";
    }
}
