package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.lsmtree.format.iterator.KeyCopy;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.iterator.SliceComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.FileMetadata;

/**
 * Writes entries, in internal-key order, into one or more new tables, starting a new one once
 * the current one has reached {@code targetSize} bytes and the user key changes: the entries of
 * one user key always stay in one file, so that no compaction can move part of them to another
 * level. Every finished table is synced; the caller syncs the directory before a MANIFEST edit
 * names them.
 *
 * <p>Entries come as views ({@link Slice}) of the caller's current entry (a memtable's arena, a
 * merging iterator's block) and are copied once, by the table; the largest key so far is kept in
 * a reused {@link KeyCopy} and the user keys compared in place, so adding allocates nothing per
 * entry (a file's smallest and largest key are copied once per file). Not thread-safe.
 */
final class TableWriting implements AutoCloseable {
    private final Storage storage;
    private final Path directory;
    private final TableFormat format;
    private final LongSupplier fileNumbers;
    private final long targetSize;
    private final SliceComparator userKeys;
    private final java.util.List<FileMetadata> finished = new java.util.ArrayList<>();

    private TableFormat.TableSink sink;
    private long number;
    private byte[] smallest;
    /** The last key added to the table in progress. */
    private final KeyCopy largest = new KeyCopy(64);
    private boolean full;
    private CutPolicy cutPolicy = (key, tableBytes, target) -> false;

    TableWriting(Storage storage, Path directory, TableFormat format, LongSupplier fileNumbers, long targetSize,
            UserComparator userComparator) {
        this.storage = storage;
        this.directory = directory;
        this.format = format;
        this.fileNumbers = fileNumbers;
        this.targetSize = targetSize;
        this.userKeys = SliceComparator.forUserKeys(userComparator);
    }

    /** Where a compaction wants its outputs cut besides the target size. */
    interface CutPolicy {
        /**
         * Whether the table in progress, {@code tableBytes} long so far (estimated) and cut anyway
         * at {@code targetSize}, should end before {@code internalKey}. Sees every key in order,
         * before the key is added; the key is a view, valid during the call only.
         */
        boolean cutBefore(Slice internalKey, long tableBytes, long targetSize);
    }

    /**
     * Also cuts where {@code policy} asks; a cut it asks for waits for the next user key, like
     * the size cut.
     */
    void cutWhere(CutPolicy policy) {
        this.cutPolicy = policy;
    }

    /** What fills a {@link TableWriting}. */
    interface Filler {
        void fill(TableWriting out) throws IOException;
    }

    /**
     * Writes the tables {@code filler} fills, syncs the directory, and returns them; when filling
     * fails, deletes every table written and rethrows.
     */
    static java.util.List<FileMetadata> writeAll(Storage storage, Path directory, TableFormat format,
            LongSupplier fileNumbers, long targetSize, UserComparator userComparator, Filler filler) throws IOException {
        TableWriting out = new TableWriting(storage, directory, format, fileNumbers, targetSize, userComparator);
        java.util.List<FileMetadata> outputs;
        try {
            filler.fill(out);
            outputs = out.finish();
        } catch (IOException | RuntimeException e) {
            out.discard();
            throw e;
        }
        storage.syncDirectory(directory);
        return outputs;
    }

    /** Adds the entry the views show (copied before this returns); keys in increasing internal-key order. */
    void add(Slice internalKey, Slice value) throws IOException {
        if (cutPolicy.cutBefore(internalKey, sink == null ? 0 : sink.estimatedSize(), targetSize) && sink != null) {
            full = true;
        }
        if (full && !sameUserKeyAsLargest(internalKey)) {
            finishCurrent();
        }
        if (sink == null) {
            number = fileNumbers.getAsLong();
            sink = format.create(format.fileFor(directory, number));
            smallest = internalKey.toByteArray();
        }
        sink.add(internalKey, value);
        largest.set(internalKey);
        full |= sink.estimatedSize() >= targetSize;
    }

    private boolean sameUserKeyAsLargest(Slice internalKey) {
        int trailer = InternalKey.TRAILER_SIZE;
        return userKeys.compare(internalKey.array(), internalKey.offset(), internalKey.length() - trailer,
                largest.array(), 0, largest.length() - trailer) == 0;
    }

    /** Finishes the table in progress and returns every table written. */
    java.util.List<FileMetadata> finish() throws IOException {
        if (sink != null) {
            finishCurrent();
        }
        return finished;
    }

    /** Abandons the table in progress and deletes every file written (after a failure). */
    @Override
    public void close() throws IOException {
        if (sink != null) {
            sink.close();
            storage.delete(format.fileFor(directory, number));
            sink = null;
        }
    }

    /** Deletes the finished tables too: they will never be named by the MANIFEST. */
    void discard() throws IOException {
        close();
        for (FileMetadata file : finished) {
            storage.delete(format.fileFor(directory, file.number()));
        }
        finished.clear();
    }

    private void finishCurrent() throws IOException {
        long size = sink.finish();
        sink = null;
        full = false;
        finished.add(new FileMetadata(number, size, smallest, largest.toByteArray()));
    }
}
