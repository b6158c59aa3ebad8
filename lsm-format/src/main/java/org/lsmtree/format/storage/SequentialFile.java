package org.lsmtree.format.storage;

import java.io.Closeable;
import java.io.IOException;

/** A file read from its start to its end. Not thread-safe. */
public interface SequentialFile extends Closeable {

    /**
     * Reads up to {@code length} bytes into {@code target} at {@code offset}, filling it as far as
     * the file allows. Returns the number of bytes read, less than {@code length} only at the end
     * of the file, and -1 when already at the end (and {@code length > 0}).
     */
    int read(byte[] target, int offset, int length) throws IOException;

    /** Skips up to {@code count} bytes; returns how many were skipped (fewer only at the end). */
    long skip(long count) throws IOException;

    /** The offset of the next byte {@link #read} returns. */
    long position();
}
