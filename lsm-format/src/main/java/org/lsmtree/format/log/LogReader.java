package org.lsmtree.format.log;

import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import com.google.common.base.Preconditions;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.log.LogProblem.Kind;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;

/**
 * Reads records back from a log in LevelDB's framing (see {@code docs/format/log.md}),
 * reassembling fragmented records, and classifies every problem it meets instead of deciding
 * what to tolerate: each goes to a {@link LogReporter} with its offset and the bytes dropped, and
 * the reader carries on with the next block. A record is returned only when every one of its
 * fragments passed its checksum and the fragments came in order, so a damaged file yields fewer
 * records, never a wrong one.
 *
 * <p>Damage inside a block loses the rest of that block (a corrupt length cannot be trusted to
 * find the next fragment), as in LevelDB. At the end of the file, a cut-off header, payload or
 * fragmented record is a {@link Kind#TORN_TAIL} and zeros where a header should be are a
 * {@link Kind#ZEROED_TAIL}: what a crash during an append leaves. A crash only ever damages the
 * unsynced end of a log, so a fragment whose length reaches past the end of the file is a torn
 * tail only if nothing valid follows it: if a prefix of the bytes present matches its checksum,
 * or a checksummed fragment starts anywhere after it, the header is damaged
 * ({@link Kind#BAD_LENGTH}) and the records after it are not dropped as if a crash had cut them off.
 * Damage in the file's last (short) block after which no checksummed fragment starts anywhere is
 * reported as what it is, marked {@link LogProblem#nothingIntactAfter()}: garbage a crash left
 * over the unsynced end of a file reads so (and so does a bit flipped in its last record).
 *
 * <p><b>Unused preallocation</b> ({@link Preallocation}). In a log a preallocating writer left
 * behind, the zeros after the last record are its clean end: not reported, counted in
 * {@link #unusedPreallocation()}; read at random, damage that no checksummed fragment follows
 * anywhere (the record being copied when the writer died) is one {@link Kind#TORN_TAIL} to the
 * end of the file. Zeros or damage with a checksummed fragment after them stay what they are.
 *
 * <p>Memory: a record is kept only up to {@code maxRecordSize} bytes; a larger one is read through
 * (checked, not kept) and reported as {@link Kind#RECORD_TOO_LARGE}, which no caller should
 * tolerate, since the record itself is sound. Reading from a {@link RandomReadFile}, the reader
 * also follows a fragmented record's headers to its LAST fragment before keeping any of it, so a
 * chain that never completes (a torn tail, or a hostile run of MIDDLE fragments) costs no memory;
 * from a {@link SequentialFile} it cannot look ahead, and such a chain costs up to
 * {@code maxRecordSize} before it is dropped.
 *
 * <p>Not thread-safe.
 */
public final class LogReader implements Closeable {
    // Outcomes of readFragment besides a RecordType code.
    private static final int END = -1;      // clean end of file
    private static final int TAIL = -2;     // torn or zeroed tail; tailKind/tailOffset say which and where
    private static final int DAMAGED = -3;  // damage already reported; keep reading

    private final LogInput input;
    private final LogReporter reporter;
    private final int maxRecordSize;
    private final byte[] block = new byte[BLOCK_SIZE];
    private long blockStart = -BLOCK_SIZE;
    private int blockLength = BLOCK_SIZE;
    private int position = BLOCK_SIZE;
    private boolean finished;

    // The fragment readFragment just returned.
    private long fragmentOffset;
    private int fragmentStart;
    private int fragmentLength;
    // The tail readFragment just met, and the end of the file it runs to.
    private Kind tailKind;
    private long tailOffset;
    private long tailEnd;
    private final Preallocation preallocation;
    private boolean preallocationRules = true;
    private long unusedPreallocation;
    private boolean tornCopy;
    // The damage readFragment just reported, and whether nothing checksummed follows it in the file.
    private long damageOffset;
    private boolean damageAtEnd;

    private long lastRecordOffset = -1;
    private long lastRecordEnd;

    /**
     * A reader from the start of {@code file} that keeps records of up to
     * {@link LogFormat#DEFAULT_MAX_RECORD_SIZE}; takes ownership of the file (closing the reader
     * closes it).
     */
    public LogReader(SequentialFile file, LogReporter reporter) {
        this(file, reporter, LogFormat.DEFAULT_MAX_RECORD_SIZE);
    }

    /** A reader from the start of {@code file} that keeps records of up to {@code maxRecordSize} bytes. */
    public LogReader(SequentialFile file, LogReporter reporter, int maxRecordSize) {
        this(LogInput.of(Preconditions.checkNotNull(file)), reporter, maxRecordSize);
    }

    /**
     * A reader from the start of {@code file} that keeps records of up to {@code maxRecordSize}
     * bytes and looks ahead before buffering a fragmented record; takes ownership of the file.
     */
    public LogReader(RandomReadFile file, LogReporter reporter, int maxRecordSize) {
        this(LogInput.of(Preconditions.checkNotNull(file)), reporter, maxRecordSize);
    }

    private LogReader(LogInput input, LogReporter reporter, int maxRecordSize) {
        Preconditions.checkArgument(maxRecordSize > 0, "maxRecordSize %s is not positive", maxRecordSize);
        this.input = input;
        this.preallocation = new Preallocation(input);
        this.reporter = Preconditions.checkNotNull(reporter);
        this.maxRecordSize = maxRecordSize;
    }

    /**
     * The next whole record, or null at the end of the file. Problems met on the way are reported
     * first. The returned array is the caller's.
     */
    public byte[] readRecord() throws IOException {
        if (finished) {
            return null;
        }
        OpenRecord record = null;
        while (true) {
            int outcome = readFragment();
            if (outcome == RecordType.FULL.code() || outcome == RecordType.FIRST.code()) {
                if (record != null) {
                    abandon(record.offset(), fragmentOffset, "record begun at " + record.offset()
                            + " has no LAST fragment before the " + RecordType.fromCode(outcome)
                            + " fragment at " + fragmentOffset);
                    record = null;
                }
                if (outcome == RecordType.FIRST.code()) {
                    record = begin();
                } else if (fragmentLength > maxRecordSize) {
                    tooLarge(fragmentOffset, fragmentLength);
                } else {
                    return accept(fragmentOffset,
                            Arrays.copyOfRange(block, fragmentStart, fragmentStart + fragmentLength));
                }
            } else if (outcome == RecordType.MIDDLE.code() || outcome == RecordType.LAST.code()) {
                if (record == null) {
                    reporter.report(new LogProblem(Kind.FRAGMENT_OUT_OF_ORDER, fragmentOffset,
                            HEADER_SIZE + fragmentLength, RecordType.fromCode(outcome)
                                    + " fragment with no record begun"));
                    continue;
                }
                record.append(block, fragmentStart, fragmentLength);
                if (outcome == RecordType.LAST.code()) {
                    byte[] whole = record.toArray();
                    if (whole != null) {
                        return accept(record.offset(), whole);
                    }
                    if (record.tooLarge()) {
                        tooLarge(record.offset(), record.size());
                    } else { // the look-ahead found no LAST: the file changed while being read
                        abandon(record.offset(), blockStart + position, "record begun at " + record.offset()
                                + " ended in a LAST fragment that was not there when the reader looked ahead");
                    }
                    record = null;
                }
            } else if (outcome == DAMAGED) {
                if (record != null) {
                    reporter.report(new LogProblem(Kind.FRAGMENT_OUT_OF_ORDER, record.offset(),
                            damageOffset - record.offset(), "record begun at " + record.offset()
                                    + " lost its later fragments to the damage at " + damageOffset, damageAtEnd));
                    record = null;
                }
            } else {
                finished = true;
                long end = outcome == TAIL ? tailEnd : blockStart + blockLength;
                if (record == null && outcome == TAIL && tailKind == Kind.ZEROED_TAIL && preallocationRules
                        && Preallocation.isUnused(tailOffset, end)) {
                    unusedPreallocation = end - tailOffset;
                    return null;
                }
                if (record != null) {
                    String cause = outcome == END ? "end of file" : tailKind + " at " + tailOffset;
                    reporter.report(new LogProblem(Kind.TORN_TAIL, record.offset(), end - record.offset(),
                            "record begun at " + record.offset() + " is cut off by the " + cause));
                } else if (outcome == TAIL) {
                    reporter.report(new LogProblem(tailKind, tailOffset, end - tailOffset,
                            tailKind == Kind.ZEROED_TAIL ? "zeros to the end of the file"
                                    : tornCopy ? "damage that nothing checksummed follows, in a log that ends in"
                                            + " preallocated zeros: the record being written when the writer died"
                                    : "file ends inside a fragment begun at " + tailOffset));
                }
                return null;
            }
        }
    }

    /** The file offset of the first header of the record last returned, or -1 before the first. */
    public long lastRecordOffset() {
        return lastRecordOffset;
    }

    /** The file offset just after the record last returned (0 before the first). */
    public long lastRecordEnd() {
        return lastRecordEnd;
    }

    /**
     * The number of bytes of the file read so far (whole blocks, and the short last one; the whole
     * file once a tail was met).
     */
    public long position() {
        return Math.max(blockStart + blockLength, tailEnd);
    }

    /**
     * How many zero bytes after the last record were a preallocating writer's unused space, taken
     * for the clean end of the log without a report (see {@code docs/format/log.md}, "Unused
     * preallocation"); 0 when the log did not end so. Known once {@link #readRecord()} returned null.
     */
    public long unusedPreallocation() {
        return unusedPreallocation;
    }

    /**
     * Reads this log as one no writer preallocates (a MANIFEST: written through the file, synced
     * edit by edit): zeros at its end and damage nothing checksummed follows are reported as they
     * are, never taken for unused space or a torn copy, so that no synced record can be dropped
     * for looking like one. Call before the first read; returns this reader.
     */
    public LogReader withoutPreallocation() {
        preallocationRules = false;
        return this;
    }

    @Override
    public void close() throws IOException {
        input.close();
    }

    /**
     * Opens the record whose FIRST fragment was just read. From a random-access file, its headers
     * are followed first: a record that reaches no LAST fragment, or outgrows the maximum size, is
     * read through without being kept.
     */
    private OpenRecord begin() throws IOException {
        OpenRecord record;
        if (!input.canLookAhead()) {
            record = OpenRecord.buffered(fragmentOffset, maxRecordSize, fragmentLength);
        } else {
            long size = input.completedSize(block, blockStart, blockStart + position, fragmentLength, maxRecordSize);
            record = size < 0 ? OpenRecord.discarded(fragmentOffset, maxRecordSize)
                    : OpenRecord.buffered(fragmentOffset, maxRecordSize, (int) size);
        }
        record.append(block, fragmentStart, fragmentLength);
        return record;
    }

    private void tooLarge(long offset, long size) throws IOException {
        reporter.report(new LogProblem(Kind.RECORD_TOO_LARGE, offset, blockStart + position - offset,
                "record of " + size + " bytes is larger than the reader's maxRecordSize of " + maxRecordSize
                        + " bytes; raise the maxRecordSize option to read it"));
    }

    private byte[] accept(long recordOffset, byte[] record) {
        lastRecordOffset = recordOffset;
        lastRecordEnd = blockStart + position;
        return record;
    }

    private void abandon(long recordOffset, long upTo, String message) throws IOException {
        reporter.report(new LogProblem(Kind.FRAGMENT_OUT_OF_ORDER, recordOffset, upTo - recordOffset, message));
    }

    /**
     * Reads the next fragment of the file: returns its type code with fragmentOffset,
     * fragmentStart and fragmentLength set, or END, TAIL or DAMAGED.
     */
    private int readFragment() throws IOException {
        while (true) {
            if (position >= blockLength) {
                if (blockLength < BLOCK_SIZE || !readBlock()) {
                    return END;
                }
                continue;
            }
            if (BLOCK_SIZE - position < HEADER_SIZE) {
                checkTrailer();
                position = blockLength;
                continue;
            }
            int remaining = blockLength - position;
            if (remaining < HEADER_SIZE) { // only a short last block ends like this
                tailKind = isZero(position, blockLength) ? Kind.ZEROED_TAIL : Kind.TORN_TAIL;
                tailOffset = blockStart + position;
                tailEnd = blockStart + blockLength;
                position = blockLength;
                return TAIL;
            }
            if (isZero(position, position + HEADER_SIZE)) {
                return skipZeros() ? TAIL : DAMAGED;
            }
            long offset = blockStart + position;
            int length = (block[position + 4] & 0xff) | (block[position + 5] & 0xff) << 8;
            int typeCode = block[position + 6] & 0xff;
            if (position + HEADER_SIZE + length > BLOCK_SIZE) {
                return damaged(Kind.BAD_LENGTH, offset, "fragment length " + length
                        + " reaches past the end of its block");
            }
            if (position + HEADER_SIZE + length > blockLength) {
                int shorter = FragmentScan.checksummedPrefix(block, blockLength, position);
                if (shorter >= 0) {
                    return damaged(Kind.BAD_LENGTH, offset, "fragment length " + length
                            + " reaches past the end of the file, but its checksum matches its first " + shorter
                            + " bytes: the length is damaged, not cut off by a crash");
                }
                // Only the last, short block can end the file inside a fragment that fits its
                // block, so there are no later blocks to search.
                assert blockLength < BLOCK_SIZE : "a fragment reaching past the file ends it in its last block";
                int later = FragmentScan.checksummedFragmentAfter(block, blockLength, position + 1);
                if (later >= 0) {
                    return damaged(Kind.BAD_LENGTH, offset, "fragment length " + length
                            + " reaches past the end of the file, but a checksummed fragment starts after it at "
                            + (blockStart + later) + ": the header is damaged, not cut off by a crash");
                }
                tailKind = Kind.TORN_TAIL;
                tailOffset = offset;
                tailEnd = blockStart + blockLength;
                position = blockLength;
                return TAIL;
            }
            int expected = Crc32c.unmask(LittleEndian.getFixed32(block, position));
            int actual = Crc32c.compute(block[position + 6], block, position + HEADER_SIZE, length);
            if (expected != actual) {
                return damaged(Kind.BAD_CHECKSUM, offset, String.format(
                        "fragment checksum 0x%08x does not match its contents (0x%08x)", expected, actual));
            }
            if (RecordType.fromCode(typeCode) == null) {
                damageOffset = offset;
                damageAtEnd = false;
                position += HEADER_SIZE + length;
                reporter.report(new LogProblem(Kind.UNKNOWN_TYPE, offset, HEADER_SIZE + length,
                        "fragment of unknown type " + typeCode));
                return DAMAGED;
            }
            fragmentOffset = offset;
            fragmentStart = position + HEADER_SIZE;
            fragmentLength = length;
            position += HEADER_SIZE + length;
            return typeCode;
        }
    }

    /**
     * Reports damage at {@code offset} (the fragment header at {@code position}) and drops the
     * rest of the block, noting whether a checksummed fragment follows anywhere in the file.
     */
    private int damaged(Kind kind, long offset, String message) throws IOException {
        if (isTornCopy(offset)) {
            return TAIL;
        }
        damageOffset = offset;
        damageAtEnd = blockLength < BLOCK_SIZE
                && FragmentScan.checksummedFragmentAfter(block, blockLength, position + 1) < 0;
        int dropped = blockLength - position;
        position = blockLength;
        reporter.report(new LogProblem(kind, offset, dropped, message, damageAtEnd));
        return DAMAGED;
    }

    /**
     * Skips a run of zeros that starts where a header should be. Returns true when the zeros
     * reach the end of the file (tailKind and tailOffset set); otherwise reports the zeroed range
     * and leaves the position at the next block boundary or at the block start where data resumes.
     */
    private boolean skipZeros() throws IOException {
        long start = blockStart + position;
        while (true) {
            while (position < blockLength && block[position] == 0) {
                position++;
            }
            if (position < blockLength) {
                break;
            }
            if (blockLength < BLOCK_SIZE || !readBlock()) {
                tailKind = Kind.ZEROED_TAIL;
                tailOffset = start;
                tailEnd = blockStart + blockLength;
                return true;
            }
        }
        if (isTornCopy(start)) {
            return true;
        }
        if (position != 0) { // data resumes inside a block: nothing before the next block can be trusted
            position = blockLength;
        }
        long resume = blockStart + position;
        damageOffset = start;
        damageAtEnd = false;
        reporter.report(new LogProblem(Kind.ZEROED_RANGE, start, resume - start,
                "zeros where a fragment header should be, up to " + resume));
        return false;
    }

    /**
     * Whether damage met at {@code offset} is the record a preallocating writer was copying when
     * its process died ({@link Preallocation#isTornCopy}); if so, sets the tail (a
     * {@link Kind#TORN_TAIL} from {@code offset} to the end of the file) and drops the rest of the block.
     */
    private boolean isTornCopy(long offset) throws IOException {
        if (!preallocationRules || !preallocation.isTornCopy(offset)) {
            return false;
        }
        tornCopy = true;
        tailKind = Kind.TORN_TAIL;
        tailOffset = offset;
        tailEnd = input.size();
        position = blockLength;
        return true;
    }

    private void checkTrailer() throws IOException {
        if (!isZero(position, blockLength)) {
            reporter.report(new LogProblem(Kind.NONZERO_BLOCK_TRAILER, blockStart + position, 0,
                    "block trailer of " + (BLOCK_SIZE - position) + " bytes is not zero"));
        }
    }

    private boolean isZero(int from, int to) {
        for (int i = from; i < to; i++) {
            if (block[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads the next block; returns false when the file has no more bytes. */
    private boolean readBlock() throws IOException {
        blockStart += blockLength;
        blockLength = input.readBlock(blockStart, block);
        position = 0;
        return blockLength > 0;
    }
}
