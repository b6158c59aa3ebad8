package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
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
 * <p>Thread-safe, and a lookup of an open table takes no lock: the map is concurrent and a pin is
 * a compare-and-set on the table's pin count, which also carries an "evicted" bit; once that bit
 * is set no new pin succeeds (the caller then opens the table afresh), and whoever brings the
 * count of an evicted table to zero closes it, exactly once. The cache's monitor guards only the
 * slow paths: opening a table (one open at a time: a miss is rare once the working set is open),
 * evicting, closing. Recency is approximate (each pin stamps {@code System.nanoTime()}, racily),
 * which is all that picking the table to close needs.
 */
final class TableCache implements java.io.Closeable {
    /**
     * A table's key in {@link #open}: its file number. Immutable once in the map; each thread also
     * has one it changes and only ever looks up with ({@link #PROBE}), so that pinning an open
     * table boxes nothing (a {@code Long} key would allocate for every file number past 127).
     */
    private static final class FileKey {
        private long number;

        FileKey(long number) {
            this.number = number;
        }

        FileKey set(long value) {
            this.number = value;
            return this;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FileKey key && key.number == number;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(number);
        }
    }

    private static final ThreadLocal<FileKey> PROBE = ThreadLocal.withInitial(() -> new FileKey(0));

    /** One open table, its pins and its eviction. */
    private static final class Open {
        /** The bit of {@link #state} that says the table left the cache. */
        static final int EVICTED = 1 << 30;

        final long number;
        final TableFormat.TableSource source;
        /** Pins (lookups and iterators using it now), plus {@link #EVICTED} once evicted. */
        final AtomicInteger state = new AtomicInteger();
        /** When it was last pinned (racy on purpose: only the eviction order reads it). */
        long lastUse;

        Open(long number, TableFormat.TableSource source) {
            this.number = number;
            this.source = source;
        }

        /** Pins the table unless it was evicted. */
        boolean tryPin(long now) {
            while (true) {
                int current = state.get();
                if ((current & EVICTED) != 0) {
                    return false;
                }
                if (state.compareAndSet(current, current + 1)) {
                    lastUse = now;
                    return true;
                }
            }
        }

        /** Drops a pin; closes the table when it was evicted and this was its last pin. */
        void unpin() throws IOException {
            int left = state.decrementAndGet();
            assert left >= 0 && left != EVICTED - 1 : "more unpins than pins of table " + number;
            if (left == EVICTED) {
                source.close();
            }
        }

        /** Marks the table evicted; closes it now unless pinned (then its last unpin does). */
        void evict() throws IOException {
            while (true) {
                int current = state.get();
                if ((current & EVICTED) != 0) {
                    return;
                }
                if (state.compareAndSet(current, current | EVICTED)) {
                    if (current == 0) {
                        source.close();
                    }
                    return;
                }
            }
        }
    }

    private final Storage storage;
    private final Path directory;
    private final TableFormat format;
    private final int capacity;
    private final ConcurrentHashMap<FileKey, Open> open = new ConcurrentHashMap<>();

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
                return iterator(verifyChecksums, true);
            }

            @Override
            public InternalIterator iterator(boolean verifyChecksums, boolean fillCache) throws IOException {
                Open table = pin(file);
                try {
                    return new PinnedIterator(table.source.iterator(verifyChecksums, fillCache), table);
                } catch (IOException | RuntimeException e) {
                    unpin(table);
                    throw e;
                }
            }

            @Override
            public long recordedEntries() throws IOException {
                Open table = pin(file);
                try {
                    return table.source.recordedEntries();
                } finally {
                    unpin(table);
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

    /** How many tables are open now in the cache (pinned ones evicted past the capacity not counted). */
    int openCount() {
        return open.size();
    }

    /** The open table of {@code file}, pinned; opened now when it is not open. */
    private Open pin(FileMetadata file) throws IOException {
        Open table = open.get(PROBE.get().set(file.number()));
        if (table != null && table.tryPin(System.nanoTime())) {
            return table;
        }
        return openAndPin(file);
    }

    private synchronized Open openAndPin(FileMetadata file) throws IOException {
        Open table = open.get(PROBE.get().set(file.number()));
        if (table != null && table.tryPin(System.nanoTime())) {
            return table;
        }
        table = new Open(file.number(), format.open(path(file.number()), file.number(), file.size()));
        table.tryPin(System.nanoTime());
        open.put(new FileKey(file.number()), table);
        if (open.size() > capacity) {
            List<Open> byAge = new ArrayList<>(open.values());
            byAge.sort(Comparator.comparingLong(candidate -> candidate.lastUse));
            for (Open eldest : byAge) {
                if (open.size() <= capacity) {
                    break;
                }
                if (eldest != table && open.remove(new FileKey(eldest.number), eldest)) {
                    eldest.evict();
                }
            }
        }
        return table;
    }

    private void unpin(Open table) throws IOException {
        table.unpin();
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
        Open table = open.remove(new FileKey(number));
        if (table != null) {
            table.evict();
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
        public Slice keyView(Slice view) {
            return delegate.keyView(view);
        }

        @Override
        public Slice valueView(Slice view) {
            return delegate.valueView(view);
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
