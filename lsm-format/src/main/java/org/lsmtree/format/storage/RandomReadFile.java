package org.lsmtree.format.storage;

import java.io.Closeable;
import java.io.IOException;

/** A file read at any offset. Safe for concurrent reads by many threads. */
public interface RandomReadFile extends Closeable {

    /**
     * Reads up to {@code length} bytes at file position {@code position} into {@code target} at
     * {@code offset}, as many as the file holds there. Returns the number of bytes read (less than
     * {@code length} only when the file ends first; 0 when {@code position} is at or past the end).
     */
    int read(long position, byte[] target, int offset, int length) throws IOException;

    /** The file's size when it was opened; tables and logs being read do not grow. */
    long size() throws IOException;

    /**
     * Whether a read is a copy out of a memory mapping of the file (no system call), so that a
     * reader may read the same bytes again rather than keep a copy of them: table readers then
     * serve data blocks from the file without a block cache. False unless the implementation says
     * otherwise.
     */
    default boolean isMapped() {
        return false;
    }
}
