package org.lsmtree.format.log;

import java.io.IOException;

/**
 * How a {@link LogReader} reads a log that a preallocating writer left behind (see
 * {@code docs/format/log.md}, "Unused preallocation"). Such a writer grows its file in chunks of
 * {@link LogFormat#PREALLOCATION_CHUNK} through a memory mapping; when its process dies, the file
 * is a whole number of chunks long and holds zeros after the last record it appended, perhaps
 * after a record it was copying when it died. Two rules tell that from damage:
 * <ul>
 *   <li>zeros from where a fragment header should be to the end of a file a positive multiple of
 *       the chunk long, fewer than a chunk of them (or the whole file), are unused space: the
 *       log's clean end ({@link #isUnused});
 *   <li>damage in such a file (read at random, its last byte zero) after which no checksummed
 *       fragment starts anywhere is the record being copied: a torn tail ({@link #isTornCopy}).
 * </ul>
 * Zeros or damage with a checksummed fragment after them are neither. Not thread-safe; one per reader.
 */
final class Preallocation {
    private final LogInput input;
    private long intactAfter = -1; // the checksummed fragment the last search found

    Preallocation(LogInput input) {
        this.input = input;
    }

    /**
     * Whether zeros from {@code start}, where a fragment header should be, to {@code end}, the end
     * of the file, are a preallocating writer's unused space. Known from a sequential file too,
     * once its end is reached.
     */
    static boolean isUnused(long start, long end) {
        return end > 0 && end % LogFormat.PREALLOCATION_CHUNK == 0
                && (end - start < LogFormat.PREALLOCATION_CHUNK || start == 0);
    }

    /**
     * Whether damage met at {@code offset} is the record a preallocating writer was copying when
     * its process died: the file may be preallocated and no checksummed fragment starts anywhere
     * after {@code offset}. Only a file read at random can be searched. A search that finds a
     * checksummed fragment is remembered, so that damage before it is not searched again (the
     * searches of one reader read each byte of the file at most once, in order).
     */
    boolean isTornCopy(long offset) throws IOException {
        if (!input.canLookAhead() || !input.mayBePreallocated() || offset < intactAfter) {
            return false;
        }
        intactAfter = input.checksummedFragmentAfter(offset + 1);
        return intactAfter < 0;
    }
}
