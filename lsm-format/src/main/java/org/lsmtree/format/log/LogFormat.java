package org.lsmtree.format.log;

/**
 * Every on-disk constant of the log record framing that the WAL and the MANIFEST share. The
 * layout is specified in {@code docs/format/log.md}.
 *
 * <pre>
 * file     := block* (the last block may be short)
 * block    := fragment* trailer       (32768 bytes)
 * fragment := checksum:fixed32  length:fixed16  type:uint8  payload:byte[length]
 * trailer  := 0x00{0..6}              (a block tail too short for a header)
 * </pre>
 *
 * {@code checksum} is the masked CRC32C of the type byte followed by the payload.
 */
public final class LogFormat {
    /** Bytes per block. A fragment never crosses a block boundary. */
    public static final int BLOCK_SIZE = 32768;
    /** Fragment header: checksum (4), length (2), type (1). */
    public static final int HEADER_SIZE = 4 + 2 + 1;
    /**
     * The largest record a {@link LogReader} keeps unless told otherwise (its
     * {@code maxRecordSize} option): 64 MiB. Not a limit of the format, which has none, but of the
     * heap a reader may spend on one record; a larger one is reported as
     * {@link LogProblem.Kind#RECORD_TOO_LARGE}.
     */
    public static final int DEFAULT_MAX_RECORD_SIZE = 64 << 20;
    /**
     * The chunk a log writer that preallocates grows its file by (1 MiB): a log whose length is a
     * positive multiple of it and whose last byte is zero may end in unused preallocation, which a
     * {@link LogReader} takes for the clean end of the log when it starts where a fragment header
     * should and is shorter than one chunk (see {@code docs/format/log.md}, "Unused
     * preallocation"). 1 MiB: growing the file costs two system calls per chunk, nothing beside
     * thousands of appends; a process that dies leaves less than that of zeros, which recovery
     * reads through once; and an open log's mapping takes 1 MiB of address space (and no memory
     * before it is written), which a process with a hundred stores can afford.
     */
    public static final int PREALLOCATION_CHUNK = 1 << 20;

    private LogFormat() {}
}
