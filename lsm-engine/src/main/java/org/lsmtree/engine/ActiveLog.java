package org.lsmtree.engine;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.wal.WalWriter;
import org.lsmtree.wal.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL that takes the store's writes now, with its file number. Switching to a new log keeps
 * recovery's guarantees: the new log's name is durable before any write to it is acknowledged,
 * and the old log's unsynced tail is made durable before anything goes to the new one, so a crash
 * may lose writes only as a suffix of the history, never leave a hole before writes a later sync
 * made durable (recovery refuses such a hole as damage).
 *
 * <p>Not thread-safe: the store uses it under its write lock.
 */
final class ActiveLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveLog.class);

    private final Storage storage;
    private final Path directory;
    private WalWriter writer;
    private volatile long number; // read by deletion without the write lock

    ActiveLog(Storage storage, Path directory, WalWriter writer, long number) {
        this.storage = storage;
        this.directory = directory;
        this.writer = writer;
        this.number = number;
    }

    long number() {
        return number;
    }

    /** A line for {@code lsm.stats}: the log's name and size. */
    String describe() {
        return FileNames.logFileName(number) + ", " + writer.position() + " bytes";
    }

    /**
     * Appends the batches of {@code group} as one record, the writes from sequence {@code first};
     * synced, or handed to the OS in one write, so that a write that returned survives a crash of
     * the process even unsynced (nothing stays in a user-space buffer). A group without entries
     * appends nothing, but a sync still makes everything before it durable.
     */
    void append(long first, List<WriteBatch> group, boolean sync) throws IOException {
        if (!WriteQueue.hasEntries(group)) {
            if (sync) {
                writer.sync();
            }
            return;
        }
        writer.append(first, group);
        if (sync) {
            writer.sync();
        } else {
            writer.flush();
        }
    }

    /** Syncs and closes this log and starts log {@code newNumber}, its name durable. */
    void switchTo(long newNumber) throws IOException {
        WalWriter next = create(newNumber);
        try {
            writer.sync();
            writer.close();
        } catch (IOException | RuntimeException e) {
            next.close();
            throw e;
        }
        writer = next;
        number = newNumber;
    }

    /**
     * Starts log {@code newNumber} in place of one whose end is unknown after a failed write (it
     * is closed without a sync; what it holds was acknowledged, so it is in the memtables too).
     */
    void replaceFailed(long newNumber) throws IOException {
        WalWriter next = create(newNumber);
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: closing the failed {}: {}", directory, FileNames.logFileName(number), e.toString());
        }
        writer = next;
        number = newNumber;
    }

    private WalWriter create(long newNumber) throws IOException {
        WalWriter next = WalWriter.create(storage, FileNames.logFile(directory, newNumber));
        try {
            storage.syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            next.close();
            throw e;
        }
        return next;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
