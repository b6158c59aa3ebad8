package org.lsmtree.testing;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.storage.WritableFile;

/**
 * A {@link WritableFile} of a {@link FaultInjectingStorage}: each call is an operation that may
 * fail before reaching the delegate. Not thread-safe, like any {@link WritableFile}.
 */
final class FaultWritableFile implements WritableFile {

    private final FaultInjectingStorage storage;
    private final Path file;
    private final WritableFile delegate;

    FaultWritableFile(FaultInjectingStorage storage, Path file, WritableFile delegate) {
        this.storage = storage;
        this.file = file;
        this.delegate = delegate;
    }

    @Override
    public void append(byte[] source, int offset, int length) throws IOException {
        storage.checkAppend(OperationKind.APPEND, length, file);
        delegate.append(source, offset, length);
        storage.appended(length);
    }

    @Override
    public void append(ByteBuf source) throws IOException {
        int length = source.readableBytes();
        storage.checkAppend(OperationKind.APPEND, length, file);
        delegate.append(source);
        storage.appended(length);
    }

    @Override
    public void flush() throws IOException {
        storage.check(OperationKind.FLUSH, file);
        delegate.flush();
    }

    @Override
    public void sync() throws IOException {
        storage.check(OperationKind.SYNC, file);
        delegate.sync();
    }

    @Override
    public long size() {
        return delegate.size();
    }

    /** Closes the delegate, then reports a CLOSE fault if one fires. */
    @Override
    public void close() throws IOException {
        try {
            delegate.close();
        } finally {
            storage.check(OperationKind.CLOSE, file);
        }
    }

    @Override
    public String toString() {
        return "FaultWritableFile[" + file + "]";
    }
}
