package org.lsmtree.wal;

import org.lsmtree.format.log.LogProblem;

/**
 * One problem met while reading a WAL: the record framing's problems ({@link LogProblem.Kind})
 * and the WAL's own. {@code offset} is the file offset of the first byte affected;
 * {@code bytesDropped} how much of the file was not replayed because of it;
 * {@code nothingIntactAfter} as {@link LogProblem#nothingIntactAfter()} (damaged framing that
 * nothing checksummed follows: what a crash's garbage over the unsynced end reads as).
 */
public record WalProblem(Kind kind, long offset, long bytesDropped, String message, boolean nothingIntactAfter) {

    /** A problem with something intact after it, or of a kind where that is not asked. */
    public WalProblem(Kind kind, long offset, long bytesDropped, String message) {
        this(kind, offset, bytesDropped, message, false);
    }

    public enum Kind {
        TORN_TAIL,
        ZEROED_TAIL,
        ZEROED_RANGE,
        BAD_CHECKSUM,
        BAD_LENGTH,
        UNKNOWN_TYPE,
        FRAGMENT_OUT_OF_ORDER,
        NONZERO_BLOCK_TRAILER,
        /** A whole record larger than the reader's {@code maxRecordSize}: never tolerated, never skipped. */
        RECORD_TOO_LARGE,
        /** A whole, checksummed record that is not a valid write batch. */
        BAD_BATCH,
        /** A batch whose sequence is below the one after the previous batch's last entry. */
        SEQUENCE_REGRESSION;

        /** Whether a crash during an append can leave this at the end of a file. */
        public boolean isTail() {
            return this == TORN_TAIL || this == ZEROED_TAIL;
        }
    }

    static WalProblem of(LogProblem problem) {
        return new WalProblem(Kind.valueOf(problem.kind().name()), problem.offset(), problem.bytesDropped(),
                problem.message(), problem.nothingIntactAfter());
    }

    @Override
    public String toString() {
        return kind + " at offset " + offset + " (" + bytesDropped + " bytes dropped): " + message;
    }
}
