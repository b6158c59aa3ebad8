package org.lsmtree.sstable;

import org.lsmtree.format.CorruptionException;

/**
 * Where the checks that {@link TableReader} and {@link SstableVerifier} share ({@link IndexCheck},
 * {@link DataBlockCheck}, {@link FilterBlockReader#checkFilters}) send what they find: a reader
 * throws the first problem as a {@link CorruptionException}, the verifier records each one and
 * goes on. The kinds are the verifier's problem kinds; the offset is the block's offset in the file.
 */
@FunctionalInterface
interface TableProblems {

    /** One problem; may throw it. */
    void report(String kind, long offset, String reason) throws CorruptionException;

    /** Throws the first problem as a corruption of {@code file}. */
    static TableProblems throwing(String file) {
        return (kind, offset, reason) -> {
            throw new CorruptionException(file, offset, reason);
        };
    }
}
