package org.lsmtree.testing;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import org.lsmtree.format.storage.WritableFile;

/**
 * A {@link WritableFile} that passes every call on to another: tests extend it and override only
 * what they watch or change (count syncs, hold one), as {@link ForwardingStorage} does for a
 * storage. Thread-safe as its delegate is.
 */
public class ForwardingWritableFile implements WritableFile {
    private final WritableFile delegate;

    public ForwardingWritableFile(WritableFile delegate) {
        this.delegate = delegate;
    }

    @Override
    public void append(byte[] source, int offset, int length) throws IOException {
        delegate.append(source, offset, length);
    }

    @Override
    public void append(ByteBuf source) throws IOException {
        delegate.append(source);
    }

    @Override
    public void flush() throws IOException {
        delegate.flush();
    }

    @Override
    public void sync() throws IOException {
        delegate.sync();
    }

    @Override
    public void syncPrefix(long length) throws IOException {
        delegate.syncPrefix(length);
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
