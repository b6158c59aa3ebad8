package org.lsmtree.wal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.log.LogWriter;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;

/**
 * Appends batches to a WAL file, one batch per log record, in LevelDB's {@code .log} format.
 *
 * <p>A batch is in the log only once its whole record is: the framing's checksums make a record
 * cut short by a crash a torn tail that {@link WalReader} drops, never a partial batch. A write is
 * durable once {@link #sync()} returns after its {@link #append}. For group commit the caller
 * appends the batches of many writers as one record ({@link #append(long, List)}) and syncs once
 * for all of them; the record goes to the file in one write (into a memory mapping of it, with
 * no system call, when {@link #create} could map it).
 *
 * <p>If an append fails, the file may hold part of a record: the writer refuses further appends
 * (see {@link LogWriter}); the caller should switch to a new log.
 *
 * <p>Not thread-safe: the group-commit leader serializes appends; only {@link #syncPrefix} may
 * run on another thread beside them.
 */
public final class WalWriter implements Closeable {
    private final LogWriter log;

    /** A writer for a new, empty WAL file; takes ownership of {@code file}. */
    public WalWriter(WritableFile file) {
        this.log = new LogWriter(checkNotNull(file, "file"));
    }

    /** A writer that continues a WAL file of {@code existingLength} bytes. */
    public WalWriter(WritableFile file, long existingLength) {
        this.log = new LogWriter(checkNotNull(file, "file"), existingLength);
    }

    /**
     * Creates (or replaces) {@code file} in {@code storage} and returns a writer for it. Where the
     * storage can map files, the log is appended through a memory mapping grown in chunks of
     * {@link LogFormat#PREALLOCATION_CHUNK} ({@link Storage#createMappedAppend}): an append is a
     * copy into the page cache, with no system call, and {@link #flush()} has nothing left to do.
     * A log whose process died then ends in zeros, which readers take for its clean end.
     */
    public static WalWriter create(Storage storage, Path file) throws IOException {
        return new WalWriter(storage.createMappedAppend(file, LogFormat.PREALLOCATION_CHUNK));
    }

    /**
     * Appends {@code batch} with its first entry at {@code sequence}, as one record; returns the
     * file offset after it. Writes the sequence into the batch's reserved header.
     */
    public long append(long sequence, WriteBatch batch) throws IOException {
        new SequencedBatch(sequence, batch); // checks the sequence range
        byte[] encoded = batch.encodeWithSequence(sequence);
        return log.addRecord(encoded, 0, batch.approximateSize());
    }

    /**
     * Appends the batches of a write group as one record holding one batch: their entries in
     * order, the first at {@code sequence}. Each batch's encoded entries are copied once, into the
     * record's frame: they are not merged into a batch first. Returns the file offset after it.
     */
    public long append(long sequence, List<WriteBatch> group) throws IOException {
        if (group.size() == 1) {
            return append(sequence, group.get(0));
        }
        return log.addRecord(new GroupRecord(sequence, group));
    }

    /** Appends a batch as decoded from a log. */
    public long append(SequencedBatch batch) throws IOException {
        return append(batch.sequence(), batch.batch());
    }

    /** A group of batches as the bytes of one batch: a 12-byte header, then each batch's entries. */
    private static final class GroupRecord implements LogWriter.RecordSource {
        private final byte[] header = new byte[WalFormat.HEADER_SIZE];
        private final List<WriteBatch> group;
        private final int length;

        GroupRecord(long sequence, List<WriteBatch> group) {
            this.group = group;
            long entries = 0;
            long bytes = WalFormat.HEADER_SIZE;
            for (WriteBatch batch : group) {
                entries += batch.count();
                bytes += batch.approximateSize() - WalFormat.HEADER_SIZE;
            }
            checkArgument(bytes <= Integer.MAX_VALUE - 64 && entries <= Integer.MAX_VALUE,
                    "a group of %s entries and %s bytes is too large for one record", entries, bytes);
            checkArgument(sequence >= 0 && sequence + Math.max(0, entries - 1) <= InternalKey.MAX_SEQUENCE,
                    "sequences %s + %s entries outside [0, 2^56 - 1]", sequence, entries);
            LittleEndian.putFixed64(header, 0, sequence);
            LittleEndian.putFixed32(header, 8, (int) entries);
            this.length = (int) bytes;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void copyTo(int from, byte[] target, int targetOffset, int count) {
            int position = 0; // where the current part starts in the record
            int end = from + count;
            position = copyPart(header, 0, header.length, position, from, end, target, targetOffset);
            for (WriteBatch batch : group) {
                if (position >= end) {
                    return;
                }
                position = copyPart(batch.encoded(), WalFormat.HEADER_SIZE,
                        batch.approximateSize() - WalFormat.HEADER_SIZE, position, from, end, target, targetOffset);
            }
        }

        /**
         * Copies what of the part {@code source[offset, +length)}, at record position
         * {@code position}, lies in the record range {@code [from, end)}; returns the position after the part.
         */
        private static int copyPart(byte[] source, int offset, int length, int position, int from, int end,
                byte[] target, int targetOffset) {
            int start = Math.max(from, position);
            int stop = Math.min(end, position + length);
            if (start < stop) {
                System.arraycopy(source, offset + start - position, target, targetOffset + start - from, stop - start);
            }
            return position + length;
        }
    }

    /** Hands appended records to the operating system (they survive a process crash). */
    public void flush() throws IOException {
        log.flush();
    }

    /** Makes every appended record durable (it survives a machine crash). */
    public void sync() throws IOException {
        log.sync();
    }

    /**
     * Makes the log's first {@code length} bytes durable; unlike the other methods, may run on
     * another thread while appends go on (the background sync of a growing log): see
     * {@link WritableFile#syncPrefix}. {@code length} is a {@link #position()} the appending
     * thread read after a {@link #flush()} and handed over with a happens-before edge.
     */
    public void syncPrefix(long length) throws IOException {
        log.syncPrefix(length);
    }

    /** The file's length so far. */
    public long position() {
        return log.position();
    }

    /** Flushes and closes the file; no sync. */
    @Override
    public void close() throws IOException {
        log.close();
    }
}
