package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.FileMetadata;

/**
 * Open tables by file number, at most {@link Options#maxOpenFiles()} of them: opened on first
 * use, the least recently used closed when one more is needed, and closed when their file leaves
 * every live version ({@link #evict}). A closed table opens again on its next use.
 *
 * <p>What {@link #get} returns holds no resource: each lookup pins the open table for its
 * duration and each iterator until it is closed, so a table evicted while in use is closed only
 * once its last pin goes. Invariant: an open table is in the cache, or pinned, or closed.
 *
 * <p>Thread-safe: the cache's monitor guards the map and the pin counts; a table is opened under
 * it (one open at a time: a miss is rare once the working set is open), never read under it.
 */
final class TableCache implements java.io.Closeable {
    /** One open table and how many lookups and iterators use it now. */
    private static final class Open {
        final TableFormat.TableSource source;
        int pins;
        boolean evicted;

        Open(TableFormat.TableSource source) {
            this.source = source;
        }
    }

    private final Storage storage;
    private final Path directory;
    private final TableFormat format;
    private final int capacity;
    private final LinkedHashMap<Long, Open> open = new LinkedHashMap<>(16, 0.75f, true); // access order

    TableCache(Storage storage, Path directory, TableFormat format, int capacity) {
        this.storage = storage;
        this.directory = directory;
        this.format = format;
        this.capacity = capacity;
    }

    /**
     * The table of {@code file}, opened now (as {@code .ldb}, else legacy {@code .sst}) when it
     * is not open, so that a missing or damaged table fails here.
     */
    TableFormat.TableSource get(FileMetadata file) throws IOException {
        unpin(pin(file));
        return new TableFormat.TableSource() {
            @Override
            public byte[] lookup(byte[] internalKey, boolean verifyChecksums) throws IOException {
                return TableCache.this.lookup(file, internalKey, verifyChecksums);
            }

            @Override
            public InternalIterator iterator(boolean verifyChecksums) throws IOException {
                Open table = pin(file);
                try {
                    return new PinnedIterator(table.source.iterator(verifyChecksums), table);
                } catch (IOException | RuntimeException e) {
                    unpin(table);
                    throw e;
                }
            }

            @Override
            public void close() {
                // holds nothing: pins are per lookup and per iterator
            }
        };
    }

    /**
     * {@link TableFormat.TableSource#lookup} in the table of {@code file}, pinned for the call:
     * the point-lookup path, which makes no handle of its own.
     */
    byte[] lookup(FileMetadata file, byte[] internalKey, boolean verifyChecksums) throws IOException {
        Open table = pin(file);
        try {
            return table.source.lookup(internalKey, verifyChecksums);
        } finally {
            unpin(table);
        }
    }

    /** How many tables are open now (pinned ones past the capacity included). */
    synchronized int openCount() {
        return open.size();
    }

    private synchronized Open pin(FileMetadata file) throws IOException {
        Open table = open.get(file.number());
        if (table == null) {
            table = new Open(format.open(path(file.number()), file.number(), file.size()));
            open.put(file.number(), table);
            List<Long> eldest = new ArrayList<>();
            for (Long number : open.keySet()) {
                if (open.size() - eldest.size() <= capacity) {
                    break;
                }
                if (number != file.number()) {
                    eldest.add(number);
                }
            }
            for (Long number : eldest) {
                release(open.remove(number));
            }
        }
        table.pins++;
        return table;
    }

    private synchronized void unpin(Open table) throws IOException {
        table.pins--;
        if (table.evicted && table.pins == 0) {
            table.source.close();
        }
    }

    /** Marks {@code table} out of the cache; closes it unless pinned (then its last unpin does). */
    private void release(Open table) throws IOException {
        table.evicted = true;
        if (table.pins == 0) {
            table.source.close();
        }
    }

    /** The path of table {@code number}: {@code NNNNNN.ldb}, or {@code NNNNNN.sst} when only that exists. */
    Path path(long number) throws IOException {
        Path table = FileNames.tableFile(directory, number);
        if (!storage.exists(table)) {
            Path legacy = FileNames.legacyTableFile(directory, number);
            if (storage.exists(legacy)) {
                return legacy;
            }
        }
        return table;
    }

    /** Closes the table of {@code number} if open (its file is about to be deleted). */
    synchronized void evict(long number) throws IOException {
        Open table = open.remove(number);
        if (table != null) {
            release(table);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        for (Open table : open.values()) {
            try {
                table.source.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** An iterator that holds a pin on its table until closed. */
    private final class PinnedIterator implements InternalIterator {
        private final InternalIterator delegate;
        private Open table;

        PinnedIterator(InternalIterator delegate, Open table) {
            this.delegate = delegate;
            this.table = table;
        }

        @Override
        public boolean isValid() {
            return delegate.isValid();
        }

        @Override
        public void seekToFirst() throws IOException {
            delegate.seekToFirst();
        }

        @Override
        public void seekToLast() throws IOException {
            delegate.seekToLast();
        }

        @Override
        public void seek(byte[] target) throws IOException {
            delegate.seek(target);
        }

        @Override
        public void next() throws IOException {
            delegate.next();
        }

        @Override
        public void prev() throws IOException {
            delegate.prev();
        }

        @Override
        public byte[] key() {
            return delegate.key();
        }

        @Override
        public byte[] value() {
            return delegate.value();
        }

        @Override
        public void close() throws IOException {
            try {
                delegate.close();
            } finally {
                if (table != null) {
                    unpin(table);
                    table = null;
                }
            }
        }
    }
}
