package org.lsmtree.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.format.storage.WritableFile;

/**
 * A {@link Storage} that passes every call on to another: tests extend it and override only what
 * they watch or change (count reads, hold a sync). Thread-safe as its delegate is.
 */
public class ForwardingStorage implements Storage {
    private final Storage delegate;

    public ForwardingStorage(Storage delegate) {
        this.delegate = delegate;
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        return opened(file, delegate.create(file));
    }

    @Override
    public WritableFile openAppendable(Path file) throws IOException {
        return opened(file, delegate.openAppendable(file));
    }

    /**
     * What {@link #create} and {@link #openAppendable} return for {@code file}, which the delegate
     * opened as {@code out}: {@code out} itself here; a test overrides it to watch the file (a
     * {@link ForwardingWritableFile}).
     */
    protected WritableFile opened(Path file, WritableFile out) {
        return out;
    }

    @Override
    public SequentialFile openSequential(Path file) throws IOException {
        return delegate.openSequential(file);
    }

    @Override
    public RandomReadFile openRandomRead(Path file) throws IOException {
        return delegate.openRandomRead(file);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        delegate.rename(source, target);
    }

    @Override
    public void delete(Path file) throws IOException {
        delegate.delete(file);
    }

    @Override
    public boolean exists(Path path) throws IOException {
        return delegate.exists(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return delegate.size(file);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return delegate.list(directory);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        delegate.createDirectories(directory);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        delegate.syncDirectory(directory);
    }

    @Override
    public StorageLock lock(Path lockFile) throws IOException {
        return delegate.lock(lockFile);
    }
}
