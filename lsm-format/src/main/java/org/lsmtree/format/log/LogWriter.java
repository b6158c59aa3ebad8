package org.lsmtree.format.log;

import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import com.google.common.base.Preconditions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.Closeable;
import java.io.IOException;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.storage.WritableFile;

/**
 * Appends records to a log file in LevelDB's framing (see {@code docs/format/log.md}): each
 * record is cut into fragments that never cross a 32 KiB block boundary, and a block tail too
 * short for a header is filled with zeros. For the same records it writes the same bytes as
 * LevelDB's {@code log::Writer}.
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
    private static final byte[] ZEROS = new byte[HEADER_SIZE];

    private final WritableFile file;
    private final byte[] header = new byte[HEADER_SIZE];
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
        return addRecord(Unpooled.wrappedBuffer(source, offset, length));
    }

    /**
     * Appends the readable bytes of {@code record} as one record, leaving its indexes unchanged.
     * The caller keeps ownership of {@code record}. Returns the file offset just after it.
     */
    public long addRecord(ByteBuf record) throws IOException {
        Preconditions.checkState(!failed, "log writer failed earlier; open a new log");
        failed = true; // cleared only if every append below succeeds
        int start = record.readerIndex();
        int left = record.readableBytes();
        boolean begin = true;
        do {
            int leftover = BLOCK_SIZE - blockOffset;
            assert leftover >= 0;
            if (leftover < HEADER_SIZE) {
                file.append(ZEROS, 0, leftover); // zero-fill the trailer
                position += leftover;
                blockOffset = 0;
            }
            // Invariant: never fewer than HEADER_SIZE bytes left in the block here.
            int available = BLOCK_SIZE - blockOffset - HEADER_SIZE;
            assert available >= 0;
            int fragmentLength = Math.min(left, available);
            boolean end = left == fragmentLength;
            RecordType type = begin && end ? RecordType.FULL
                    : begin ? RecordType.FIRST
                    : end ? RecordType.LAST
                    : RecordType.MIDDLE;
            emitFragment(type, record.slice(start, fragmentLength));
            start += fragmentLength;
            left -= fragmentLength;
            begin = false;
        } while (left > 0);
        failed = false;
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

    /** Flushes and closes the file; no sync. */
    @Override
    public void close() throws IOException {
        file.close();
    }

    private void emitFragment(RecordType type, ByteBuf payload) throws IOException {
        int length = payload.readableBytes();
        assert length <= 0xffff && blockOffset + HEADER_SIZE + length <= BLOCK_SIZE;
        byte typeByte = (byte) type.code();
        LittleEndian.putFixed32(header, 0, Crc32c.mask(Crc32c.compute(typeByte, payload)));
        header[4] = (byte) length;
        header[5] = (byte) (length >>> 8);
        header[6] = typeByte;
        file.append(header, 0, HEADER_SIZE);
        file.append(payload);
        position += HEADER_SIZE + length;
        blockOffset += HEADER_SIZE + length;
    }
}
