package org.lsmtree.format.log;

/**
 * One problem a {@link LogReader} met: what kind, where (the file offset of the first byte
 * affected), how many bytes of the file it had to drop because of it, and whether anything intact
 * follows it.
 *
 * @param nothingIntactAfter true for damaged framing in the file's last block after which no
 *     checksummed fragment starts anywhere ({@link Kind#BAD_CHECKSUM}, {@link Kind#BAD_LENGTH},
 *     and the record it cut short): what garbage a machine crash left over the unsynced end of a
 *     file reads as (the OS kept the file's length but not its data). A bit flipped in the last
 *     record after it was synced reads the same; the caller decides what to tolerate.
 */
public record LogProblem(Kind kind, long offset, long bytesDropped, String message, boolean nothingIntactAfter) {

    /** A problem with something intact after it, or of a kind where that is not asked. */
    public LogProblem(Kind kind, long offset, long bytesDropped, String message) {
        this(kind, offset, bytesDropped, message, false);
    }

    /** How the reader classifies what it finds. Only the first two are what a crash leaves. */
    public enum Kind {
        /** The file ends inside a record: a header, a payload or a fragmented record was cut off. */
        TORN_TAIL,
        /** The file ends in zeros where a record header was expected (preallocated, never written). */
        ZEROED_TAIL,
        /** Zeros where a record header was expected, followed by more data. */
        ZEROED_RANGE,
        /** A fragment whose checksum does not match its type and payload. */
        BAD_CHECKSUM,
        /** A fragment header whose length reaches past its block. */
        BAD_LENGTH,
        /** A fragment with a valid checksum but an unknown type code. */
        UNKNOWN_TYPE,
        /**
         * A fragment that does not continue what came before: a MIDDLE or LAST with no record
         * begun, a FIRST or FULL while a record was still open, or an open record cut short by
         * damage in its later fragments.
         */
        FRAGMENT_OUT_OF_ORDER,
        /** A block tail (too short for a header) that is not zero; nothing is lost. */
        NONZERO_BLOCK_TRAILER,
        /**
         * A whole record larger than the reader's {@code maxRecordSize}: read through, not kept.
         * The file may be sound; the reader was not allowed the memory to return the record.
         */
        RECORD_TOO_LARGE;

        /** Whether this is damage a crash during an append can leave at the end of a file. */
        public boolean isTail() {
            return this == TORN_TAIL || this == ZEROED_TAIL;
        }
    }

    @Override
    public String toString() {
        return kind + " at offset " + offset + " (" + bytesDropped + " bytes dropped): " + message;
    }
}
