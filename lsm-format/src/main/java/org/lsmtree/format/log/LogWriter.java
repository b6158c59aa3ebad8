package org.lsmtree.format.log;

import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import com.google.common.base.Preconditions;
import io.netty.buffer.ByteBuf;
import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.storage.WritableFile;

/**
 * Appends records to a log file in LevelDB's framing (see {@code docs/format/log.md}): each
 * record is cut into fragments that never cross a 32 KiB block boundary, and a block tail too
 * short for a header is filled with zeros. For the same records it writes the same bytes as
 * LevelDB's {@code log::Writer}.
 *
 * <p>A record is framed whole (headers, fragments, zero fill) in a buffer of the writer's own and
 * handed to the file in one {@link WritableFile#append}, so that a {@link #flush()} after it is
 * one write to the operating system: the WAL's group commit costs one write per group. The
 * buffer is kept for the next record up to {@value #RETAINED_FRAME} bytes; a larger record gets
 * a buffer of its size that is dropped after it.
 *
 * <p>A record is only whole on disk once its last fragment is; a crash in between leaves a torn
 * tail that {@link LogReader} reports and never returns as a record.
 *
 * <p>If an append to the file fails, the writer's idea of the block position may no longer match
 * the file, so every later call fails with {@link IllegalStateException}: open a new log.
 *
 * <p>Not thread-safe; the caller serializes appends (the WAL's group commit does).
 */
public final class LogWriter implements Closeable {
    /** The largest frame buffer kept between records. */
    static final int RETAINED_FRAME = 2 << 20;

    /**
     * The bytes of one record, which the writer copies piece by piece into its frame: lets a
     * record made of several arrays (a group of write batches) be framed without joining them first.
     */
    public interface RecordSource {
        /** The record's length in bytes. */
        int length();

        /** Copies {@code length} bytes of the record from {@code from} to {@code target[targetOffset...]}. */
        void copyTo(int from, byte[] target, int targetOffset, int length);
    }

    private final WritableFile file;
    private final CRC32C crc = new CRC32C();
    private final ArraySource arraySource = new ArraySource();
    private byte[] frame = new byte[4096]; // grows to the records written, up to RETAINED_FRAME
    private long position;
    private int blockOffset;
    private boolean failed;

    /** A writer for a new, empty file. Takes ownership of {@code file} (closing the writer closes it). */
    public LogWriter(WritableFile file) {
        this(file, 0);
    }

    /**
     * A writer that appends to a file already {@code existingLength} bytes long (LevelDB's
     * "reuse log"): the block position continues from there.
     */
    public LogWriter(WritableFile file, long existingLength) {
        Preconditions.checkArgument(existingLength >= 0, "negative length %s", existingLength);
        this.file = Preconditions.checkNotNull(file);
        this.position = existingLength;
        this.blockOffset = (int) (existingLength % BLOCK_SIZE);
    }

    /** Appends one record; returns the file offset just after it. */
    public long addRecord(byte[] record) throws IOException {
        return addRecord(record, 0, record.length);
    }

    /** Appends {@code length} bytes of {@code source} from {@code offset} as one record. */
    public long addRecord(byte[] source, int offset, int length) throws IOException {
        Preconditions.checkPositionIndexes(offset, offset + length, source.length);
        arraySource.set(source, offset, length);
        try {
            return addRecord(arraySource);
        } finally {
            arraySource.set(null, 0, 0);
        }
    }

    /**
     * Appends the readable bytes of {@code record} as one record, leaving its indexes unchanged.
     * The caller keeps ownership of {@code record}. Returns the file offset just after it.
     */
    public long addRecord(ByteBuf record) throws IOException {
        int start = record.readerIndex();
        int length = record.readableBytes();
        return addRecord(new RecordSource() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public void copyTo(int from, byte[] target, int targetOffset, int count) {
                record.getBytes(start + from, target, targetOffset, count);
            }
        });
    }

    /** Appends the bytes {@code record} copies out as one record; returns the file offset just after it. */
    public long addRecord(RecordSource record) throws IOException {
        Preconditions.checkState(!failed, "log writer failed earlier; open a new log");
        int length = record.length();
        byte[] out = frameFor(length);
        int framed = 0;
        int block = blockOffset;
        int from = 0;
        boolean begin = true;
        do {
            int leftover = BLOCK_SIZE - block;
            assert leftover >= 0;
            if (leftover < HEADER_SIZE) {
                Arrays.fill(out, framed, framed + leftover, (byte) 0); // zero-fill the trailer
                framed += leftover;
                block = 0;
            }
            // Invariant: never fewer than HEADER_SIZE bytes left in the block here.
            int fragmentLength = Math.min(length - from, BLOCK_SIZE - block - HEADER_SIZE);
            boolean end = from + fragmentLength == length;
            RecordType type = begin && end ? RecordType.FULL
                    : begin ? RecordType.FIRST
                    : end ? RecordType.LAST
                    : RecordType.MIDDLE;
            record.copyTo(from, out, framed + HEADER_SIZE, fragmentLength);
            frameFragment(out, framed, type, fragmentLength);
            framed += HEADER_SIZE + fragmentLength;
            block += HEADER_SIZE + fragmentLength;
            from += fragmentLength;
            begin = false;
        } while (from < length);
        failed = true; // cleared only if the append succeeds
        file.append(out, 0, framed);
        failed = false;
        position += framed;
        blockOffset = block;
        return position;
    }

    /** Hands every appended byte to the operating system. */
    public void flush() throws IOException {
        file.flush();
    }

    /** Makes every appended record durable. */
    public void sync() throws IOException {
        file.sync();
    }

    /** The file offset after the last record appended (the file's length). */
    public long position() {
        return position;
    }

    /**
     * Makes the first {@code length} bytes of the file durable, from any thread, while the
     * writer goes on appending: see {@link WritableFile#syncPrefix} (the bytes must have been
     * flushed, and handed over with a happens-before edge).
     */
    public void syncPrefix(long length) throws IOException {
        file.syncPrefix(length);
    }

    /** Flushes and closes the file; no sync. */
    @Override
    public void close() throws IOException {
        file.close();
    }

    /** Writes the header of the fragment of {@code length} bytes at {@code out[at + HEADER_SIZE...]}. */
    private void frameFragment(byte[] out, int at, RecordType type, int length) {
        assert length <= 0xffff;
        byte typeByte = (byte) type.code();
        crc.reset();
        crc.update(typeByte);
        crc.update(out, at + HEADER_SIZE, length);
        LittleEndian.putFixed32(out, at, Crc32c.mask((int) crc.getValue()));
        out[at + 4] = (byte) length;
        out[at + 5] = (byte) (length >>> 8);
        out[at + 6] = typeByte;
    }

    /** A buffer for the framed record of {@code length} bytes: at most one header and zero fill per block it touches. */
    private byte[] frameFor(int length) {
        long bound = length + (length / (BLOCK_SIZE - HEADER_SIZE) + 2L) * 2 * HEADER_SIZE;
        Preconditions.checkArgument(bound <= Integer.MAX_VALUE - 16, "a record of %s bytes is too large", length);
        if (bound <= frame.length) {
            return frame;
        }
        byte[] larger = new byte[(int) Math.max(bound, Math.min(RETAINED_FRAME, 2L * frame.length))];
        if (larger.length <= RETAINED_FRAME) {
            frame = larger;
        }
        return larger;
    }

    /** One array range as a {@link RecordSource}; reused for every array record. */
    private static final class ArraySource implements RecordSource {
        private byte[] source;
        private int offset;
        private int length;

        void set(byte[] source, int offset, int length) {
            this.source = source;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void copyTo(int from, byte[] target, int targetOffset, int count) {
            System.arraycopy(source, offset + from, target, targetOffset, count);
        }
    }
}
