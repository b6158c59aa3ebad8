package org.lsmtree.testing;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.storage.WritableFile;

/**
 * A {@link WritableFile} of a {@link FaultInjectingStorage}: each call is an operation that may
 * fail before reaching the delegate. Not thread-safe, like any {@link WritableFile}, but for
 * {@link #syncPrefix}.
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
        long flip;
        try {
            flip = storage.checkAppend(OperationKind.APPEND, length, file);
        } catch (InjectedFaultException e) {
            writeWhatFits(e, source, offset);
            throw e;
        }
        if (flip < 0) {
            delegate.append(source, offset, length);
        } else {
            delegate.append(flipped(java.util.Arrays.copyOfRange(source, offset, offset + length), flip));
        }
        storage.appended(length);
    }

    @Override
    public void append(ByteBuf source) throws IOException {
        int length = source.readableBytes();
        long flip;
        try {
            flip = storage.checkAppend(OperationKind.APPEND, length, file);
        } catch (InjectedFaultException e) {
            byte[] bytes = new byte[length];
            source.getBytes(source.readerIndex(), bytes);
            writeWhatFits(e, bytes, 0);
            throw e;
        }
        if (flip < 0) {
            delegate.append(source);
        } else {
            byte[] copy = new byte[length];
            source.getBytes(source.readerIndex(), copy);
            delegate.append(flipped(copy, flip));
        }
        storage.appended(length);
    }

    /** A full disk that writes what fits: the first bytes of the failed append reach the file. */
    private void writeWhatFits(InjectedFaultException e, byte[] source, int offset) throws IOException {
        int partial = (int) e.bytesWritten();
        if (partial > 0) {
            delegate.append(source, offset, partial);
            storage.appended(partial);
        }
    }

    private static byte[] flipped(byte[] bytes, long bit) {
        bytes[(int) (bit / Byte.SIZE)] ^= (byte) (1 << (bit % Byte.SIZE));
        return bytes;
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

    /** A SYNC_PREFIX operation that may fail, from any thread (the storage's numbering is synchronized). */
    @Override
    public void syncPrefix(long length) throws IOException {
        storage.check(OperationKind.SYNC_PREFIX, file);
        delegate.syncPrefix(length);
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
