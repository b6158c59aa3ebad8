package org.lsmtree.format.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link Storage#lock} found the lock taken: another holder, in this process or another, has it.
 * Every other failure to lock (the lock file cannot be created or opened, is not a regular file,
 * its directory is missing or read-only) is a plain {@link IOException} that says what failed, so
 * a caller tells "the store is in use" from "the store cannot be locked" by this type alone.
 */
public final class LockHeldException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** The lock on {@code file} is held; {@code holder} says by whom ("another process"). */
    public LockHeldException(Path file, String holder) {
        super("lock " + file + " is held by " + holder);
        this.file = file;
    }

    /** The lock file whose lock is held. */
    public Path file() {
        return file;
    }
}
