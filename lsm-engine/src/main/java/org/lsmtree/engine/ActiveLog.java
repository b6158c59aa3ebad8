package org.lsmtree.engine;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
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
 * <p>The next log is created ahead of time ({@link #prepareNext}, by a background task without
 * the store's write lock), its name made durable then, so that a switch only syncs the old log
 * and swaps writers. A prepared log is an empty file until the switch, after the old log's sync:
 * a crash before that leaves it empty (recovery replays nothing from it, and it becomes obsolete
 * like any replayed log). A switch uses it only when its number is above the active log's (one
 * prepared while a switch created a log of its own may be below it), so log numbers keep the
 * order of the writes; a prepared log that is not used, or is left at close, is deleted.
 *
 * <p>As the log grows, a {@link WalPrefixSync} syncs it in the background every
 * {@link Options#walBytesPerSync()} bytes, so that the switch's sync of the old log has only the
 * rest of it to force; a background sync that failed fails the next append or switch.
 *
 * <p>Threads: appends, syncs and switches run under the store's write lock; {@link #number} may
 * be read from any thread; {@link #prepareNext}, the taking of the prepared log and
 * {@link #close} are serialized by this object's monitor; {@link #syncInBackground} runs on a
 * background thread (see {@link WalPrefixSync}).
 */
final class ActiveLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveLog.class);

    private final Storage storage;
    private final Path directory;
    private final WalPrefixSync prefixSync;
    private WalWriter writer;
    private volatile long number; // read by deletion without the write lock
    /** The log the next switch starts, its name durable, or null; guarded by this. */
    private WalWriter prepared;
    private long preparedNumber;
    private boolean closed; // guarded by this

    /** The active log {@code writer}, synced in the background every {@code bytesPerSync} bytes by tasks {@code schedule} queues. */
    ActiveLog(Storage storage, Path directory, WalWriter writer, long number, long bytesPerSync, Runnable schedule) {
        this.storage = storage;
        this.directory = directory;
        this.prefixSync = new WalPrefixSync(bytesPerSync, schedule);
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
     * synced, or in the kernel's page cache when this returns (copied into the log's mapping, or
     * handed to the OS in one write where the storage cannot map), so that a write that returned
     * survives a crash of the process even unsynced (nothing stays in a user-space buffer). A group without entries
     * appends nothing, but a sync still makes everything before it durable.
     */
    void append(long first, List<WriteBatch> group, boolean sync) throws IOException {
        prefixSync.checkFailure();
        if (!WriteQueue.hasEntries(group)) {
            if (sync) {
                writer.sync();
            }
            return;
        }
        writer.append(first, group);
        if (sync) {
            writer.sync();
            prefixSync.synced(writer.position());
        } else {
            writer.flush();
            prefixSync.appended(writer, writer.position());
        }
    }

    /** The background task that syncs the log up to where a request found it (no lock needed). */
    void syncInBackground() {
        prefixSync.run();
    }

    /**
     * Creates the log the next switch starts, numbered from {@code numbers}, its name durable,
     * unless one is ready or this log is closed. Returns the failure, or null: a failure leaves
     * no prepared log (the switch would create its own) and at most an empty file, but it is a
     * failed write of a log all the same, which the store reports as any other.
     */
    synchronized IOException prepareNext(LongSupplier numbers) {
        if (closed || prepared != null) {
            return null;
        }
        long next = numbers.getAsLong();
        try {
            prepared = create(next);
            preparedNumber = next;
            return null;
        } catch (IOException | RuntimeException e) {
            return e instanceof IOException io ? io : new IOException("preparing " + FileNames.logFileName(next), e);
        }
    }

    /**
     * Syncs and closes this log and starts the next one, its name durable: the prepared one, or
     * a new one numbered from {@code numbers}.
     */
    void switchTo(LongSupplier numbers) throws IOException {
        prefixSync.checkFailure();
        WalWriter next = takePrepared();
        long newNumber = preparedNumber;
        if (next == null) {
            newNumber = numbers.getAsLong();
            next = create(newNumber);
        }
        try {
            writer.sync(); // the old log's tail is durable before any byte can go to the next one
            writer.close();
        } catch (IOException | RuntimeException e) {
            next.close();
            throw e;
        }
        writer = next;
        number = newNumber;
        prefixSync.switched();
    }

    /** The prepared log if it may follow the active one (closing one that may not), or null. */
    private synchronized WalWriter takePrepared() {
        WalWriter next = prepared;
        prepared = null;
        if (next != null && preparedNumber <= number) {
            discard(next, preparedNumber);
            return null;
        }
        return next;
    }

    /**
     * Starts log {@code newNumber} in place of one whose end is unknown after a failed write (it
     * is closed without a sync; what it holds was acknowledged, so it is in the memtables too).
     */
    void replaceFailed(long newNumber) throws IOException {
        WalWriter unused = takePrepared(); // made before the failure: the storage may have failed it too
        if (unused != null) {
            discard(unused, preparedNumber);
        }
        WalWriter next = create(newNumber);
        closeQuietly(writer, number);
        writer = next;
        number = newNumber;
        prefixSync.reset();
    }

    private void closeQuietly(WalWriter log, long logNumber) {
        try {
            log.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: closing {}: {}", directory, FileNames.logFileName(logNumber), e.toString());
        }
    }

    /**
     * Closes and deletes a prepared log no write went to (best effort: an empty log left behind
     * replays as nothing and becomes obsolete like any other).
     */
    private void discard(WalWriter log, long logNumber) {
        closeQuietly(log, logNumber);
        try {
            storage.delete(FileNames.logFile(directory, logNumber));
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: deleting the unused {}: {}", directory, FileNames.logFileName(logNumber), e.toString());
        }
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
    public synchronized void close() throws IOException {
        closed = true;
        if (prepared != null) {
            discard(prepared, preparedNumber); // a closed store leaves the one log it wrote
            prepared = null;
        }
        writer.close();
    }
}
