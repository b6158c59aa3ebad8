package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.MergingIterator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestWriter;
import org.lsmtree.wal.WalWriter;
import org.lsmtree.wal.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running store: the write path (WAL, then memtable), reads over a {@link ReadState}, the
 * MANIFEST, snapshots and shutdown. {@link Recovery} builds it at open. This class coordinates
 * every part of the engine and is larger than the others for that reason.
 *
 * <p>Threads: writers and every change of the store's files are serialized on {@code writeLock};
 * readers take no lock: they read the volatile {@link ReadState} and last sequence once and work
 * from those. A write becomes visible only after all of its entries are in the memtable (the last
 * sequence is published after the insert).
 *
 * <p>Failure: when a write to the WAL or the MANIFEST fails, the store cannot know what the file
 * now holds, so it turns read-only: every later write fails with the first error.
 */
final class DbCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DbCore.class);

    private final Storage storage;
    private final Path directory;
    private final Options options;
    private final InternalKeyComparator comparator;
    private final StorageLock lock;
    private final SnapshotList snapshots = new SnapshotList();
    private final Object writeLock = new Object();

    private volatile ReadState readState;
    private volatile long lastSequence;
    private volatile boolean closed;
    private volatile IOException writeError;

    // Guarded by writeLock.
    private WalWriter wal;
    private long walNumber;
    private ManifestWriter manifest;

    DbCore(Recovery.Recovered recovered) {
        this.storage = recovered.storage();
        this.directory = recovered.directory();
        this.options = recovered.options();
        this.comparator = recovered.comparator();
        this.lock = recovered.lock();
        this.readState = new ReadState(recovered.memTable(), null);
        this.lastSequence = recovered.lastSequence();
        this.wal = recovered.wal();
        this.walNumber = recovered.walNumber();
        this.manifest = recovered.manifest();
    }

    void write(WriteBatch batch, WriteOptions writeOptions) throws IOException {
        checkNotNull(batch, "batch");
        checkNotNull(writeOptions, "writeOptions");
        synchronized (writeLock) {
            checkOpen();
            if (writeError != null) {
                throw new IOException("store " + directory + " is read-only after an earlier write failure", writeError);
            }
            if (batch.isEmpty()) {
                return;
            }
            long first = lastSequence + 1;
            try {
                wal.append(first, batch);
                if (writeOptions.isSync()) {
                    wal.sync();
                } else {
                    wal.flush();
                }
            } catch (IOException e) {
                writeError = e;
                LOG.error("{}: write to WAL {} failed; the store is now read-only: {}", directory, walNumber, e.toString());
                throw e;
            }
            MemTable memTable = readState.mutable();
            long[] sequence = {first};
            batch.forEach(new WriteBatch.Handler() {
                @Override
                public void put(byte[] key, byte[] value) {
                    memTable.add(sequence[0]++, ValueType.PUT, key, value);
                }

                @Override
                public void delete(byte[] key) {
                    memTable.add(sequence[0]++, ValueType.DELETE, key, null);
                }
            });
            lastSequence = sequence[0] - 1; // publishes the batch to readers
        }
    }

    byte[] get(byte[] key, ReadOptions readOptions) {
        checkNotNull(key, "key");
        checkOpen();
        long sequence = sequenceFor(readOptions);
        Lookup found = readState.get(key, sequence);
        return found.state() == Lookup.State.FOUND ? found.value().clone() : null;
    }

    DbIterator iterator(ReadOptions readOptions) {
        checkOpen();
        long sequence = sequenceFor(readOptions);
        ReadState state = readState;
        List<InternalIterator> sources = state.iterators();
        return new DbIterator(new MergingIterator(comparator, sources), options.comparator(), sequence, () -> { });
    }

    Snapshot snapshot() {
        checkOpen();
        return snapshots.take(lastSequence);
    }

    String property(String name) {
        checkOpen();
        switch (name) {
            case "lsm.stats":
                return stats();
            case "lsm.last-sequence":
                return Long.toString(lastSequence);
            case "lsm.memtable-bytes":
                return Long.toString(readState.mutable().approximateBytes());
            case "lsm.open-snapshots":
                return Integer.toString(snapshots.size());
            default:
                return null;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            IOException failure = null;
            for (AutoCloseable part : new AutoCloseable[] {wal, manifest, lock}) {
                try {
                    part.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e instanceof IOException io ? io : new IOException(e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private long sequenceFor(ReadOptions readOptions) {
        checkNotNull(readOptions, "readOptions");
        Snapshot snapshot = readOptions.snapshot();
        if (snapshot == null) {
            return lastSequence;
        }
        checkState(snapshot.belongsTo(snapshots), "snapshot %s belongs to another store", snapshot);
        checkState(!snapshot.isClosed(), "snapshot %s is closed", snapshot);
        return snapshot.sequence();
    }

    private String stats() {
        LevelState state = manifest.state();
        StringBuilder text = new StringBuilder();
        text.append("store: ").append(directory).append('\n');
        text.append("last sequence: ").append(lastSequence).append('\n');
        text.append("wal: ").append(FileNames.logFileName(walNumber)).append(", ")
                .append(wal.position()).append(" bytes\n");
        text.append("manifest: ").append(FileNames.manifestFileName(manifest.manifestNumber())).append('\n');
        text.append("memtable: ").append(readState.mutable().size()).append(" entries, ~")
                .append(readState.mutable().approximateBytes()).append(" bytes\n");
        text.append("snapshots open: ").append(snapshots.size()).append('\n');
        text.append("level  files  bytes\n");
        for (int level = 0; level < org.lsmtree.manifest.ManifestFormat.NUM_LEVELS; level++) {
            text.append(String.format("%5d  %5d  %d%n", level, state.fileCount(level), state.bytes(level)));
        }
        return text.toString();
    }

    private void checkOpen() {
        checkState(!closed, "store %s is closed", directory);
    }
}
