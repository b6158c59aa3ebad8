package org.lsmtree.format;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.storage.Storage;

/**
 * Checks one whole file of one format and reports every problem it finds, not only the first.
 * A verifier never changes the file. Implementations are stateless and thread-safe.
 */
public interface Verifier {

    /**
     * Scans {@code file} through {@code storage}. Damage goes into the report; an
     * {@link IOException} means the file could not be read at all (missing, unreadable).
     */
    VerificationReport verify(Storage storage, Path file) throws IOException;
}
