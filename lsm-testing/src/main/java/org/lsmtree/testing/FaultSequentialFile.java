package org.lsmtree.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.storage.SequentialFile;

/**
 * A {@link SequentialFile} of a {@link FaultInjectingStorage}: each read or skip is a
 * {@link OperationKind#READ} that may fail before reaching the delegate. Not thread-safe.
 */
final class FaultSequentialFile implements SequentialFile {

    private final FaultInjectingStorage storage;
    private final Path file;
    private final SequentialFile delegate;

    FaultSequentialFile(FaultInjectingStorage storage, Path file, SequentialFile delegate) {
        this.storage = storage;
        this.file = file;
        this.delegate = delegate;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        storage.check(OperationKind.READ, file);
        return delegate.read(target, offset, length);
    }

    @Override
    public long skip(long count) throws IOException {
        storage.check(OperationKind.READ, file);
        return delegate.skip(count);
    }

    @Override
    public long position() {
        return delegate.position();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
