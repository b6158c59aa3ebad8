package org.lsmtree.format.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/** An exclusive lock on a store's {@code LOCK} file, held until closed. */
public interface StorageLock extends Closeable {

    /** The lock file this handle holds. */
    Path file();

    /** Releases the lock. Releasing twice is harmless. */
    @Override
    void close() throws IOException;
}
