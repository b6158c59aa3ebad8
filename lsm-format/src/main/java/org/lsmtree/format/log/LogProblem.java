package org.lsmtree.format.log;

/**
 * One problem a {@link LogReader} met: what kind, where (the file offset of the first byte
 * affected), and how many bytes of the file it had to drop because of it.
 */
public record LogProblem(Kind kind, long offset, long bytesDropped, String message) {

    /** How the reader classifies what it finds. The first two are what a crash leaves; see also {@link #GARBAGE_TAIL}. */
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
        /**
         * A fragment in the file's last block whose checksum fails, or whose length reaches past
         * its block, with no checksummed fragment anywhere after it: what garbage a machine crash
         * left over a file's unsynced end reads as (the OS kept the file's length, not its data).
         * A bit flipped in the file's last record after it was synced reads the same, so this is
         * not a {@link #isTail() tail}: each caller decides whether to tolerate it.
         */
        GARBAGE_TAIL,
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
