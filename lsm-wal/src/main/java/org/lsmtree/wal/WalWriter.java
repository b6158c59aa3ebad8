package org.lsmtree.wal;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.format.log.LogWriter;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;

/**
 * Appends batches to a WAL file, one batch per log record, in LevelDB's {@code .log} format.
 *
 * <p>A batch is in the log only once its whole record is: the framing's checksums make a record
 * cut short by a crash a torn tail that {@link WalReader} drops, never a partial batch. A write is
 * durable once {@link #sync()} returns after its {@link #append}. For group commit the caller
 * merges the batches of many writers into one ({@link WriteBatch#append}) and appends and syncs
 * once for all of them.
 *
 * <p>If an append fails, the file may hold part of a record: the writer refuses further appends
 * (see {@link LogWriter}); the caller should switch to a new log.
 *
 * <p>Not thread-safe: the group-commit leader serializes appends.
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

    /** Creates (or replaces) {@code file} in {@code storage} and returns a writer for it. */
    public static WalWriter create(Storage storage, Path file) throws IOException {
        return new WalWriter(storage.create(file));
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

    /** Appends a batch as decoded from a log. */
    public long append(SequencedBatch batch) throws IOException {
        return append(batch.sequence(), batch.batch());
    }

    /** Hands appended records to the operating system (they survive a process crash). */
    public void flush() throws IOException {
        log.flush();
    }

    /** Makes every appended record durable (it survives a machine crash). */
    public void sync() throws IOException {
        log.sync();
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
