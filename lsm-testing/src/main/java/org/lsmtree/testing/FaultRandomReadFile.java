package org.lsmtree.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.storage.RandomReadFile;

/**
 * A {@link RandomReadFile} of a {@link FaultInjectingStorage}: each read is a
 * {@link OperationKind#READ} that may fail before reaching the delegate. Thread-safe when the
 * delegate is.
 */
final class FaultRandomReadFile implements RandomReadFile {

    private final FaultInjectingStorage storage;
    private final Path file;
    private final RandomReadFile delegate;

    FaultRandomReadFile(FaultInjectingStorage storage, Path file, RandomReadFile delegate) {
        this.storage = storage;
        this.file = file;
        this.delegate = delegate;
    }

    @Override
    public int read(long position, byte[] target, int offset, int length) throws IOException {
        storage.check(OperationKind.READ, file);
        return delegate.read(position, target, offset, length);
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
