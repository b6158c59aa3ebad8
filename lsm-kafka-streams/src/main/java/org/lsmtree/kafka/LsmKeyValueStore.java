package org.lsmtree.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.ReadOptions;
import org.lsmtree.engine.WriteOptions;
import org.lsmtree.wal.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A persistent {@code KeyValueStore<Bytes, byte[]>} of Kafka Streams in one lsmtree store under
 * {@code <task state dir>/lsm/<store name>}. Keys and values are the bytes Kafka Streams gives
 * (empty keys and values included); the layout, with the store's own bookkeeping beside the data,
 * is {@link StoreKeys}'s.
 *
 * <p>Durability. The store manages its changelog offsets (KIP-1035): {@link #commit(Map)} writes
 * them with the query position in one atomic batch, and {@link #committedOffset} returns what the
 * last commit wrote, across restarts. When a commit syncs is {@link CommitSync}'s policy.
 * <ul>
 *   <li>At-least-once: writes between commits go to the engine unsynced (the changelog topic is
 *       the durable log, as Kafka Streams runs RocksDB with its WAL off), and so do commits, with
 *       a sync at most every {@value CommitSync#SYNC_INTERVAL_CONFIG} and at close. A machine
 *       crash loses a suffix of the writes, never offsets without their data; the store may hold
 *       writes past its offsets, and replaying the changelog from them converges.
 *   <li>Exactly-once with {@code enable.transactional.statestores=true} (KIP-892: Kafka Streams
 *       then commits stores at every commit and trusts them after a crash): writes between
 *       commits stay in memory ({@link UncommittedWrites}, read back by gets, ranges and queries)
 *       and reach the engine only in the commit's batch, so the engine always holds exactly the
 *       last committed state and its offsets. After a crash the store reopens there and Kafka
 *       Streams replays only the changelog past it: no wipe and no full restore.
 *   <li>Exactly-once without it: as at-least-once (Kafka Streams commits stores only when a task
 *       closes or suspends, so holding writes would not be bounded); after an unclean shutdown
 *       the store is wiped and restored, as the RocksDB store is.
 * </ul>
 * A status key ({@code open} or {@code open-buffered} from {@link #init} to a clean
 * {@link #close}, then {@code closed}) tells a store that was not closed cleanly; one that wrote
 * unbuffered and is reopened under exactly-once may hold writes of an aborted transaction, so it
 * reports no offsets and Kafka Streams wipes and restores it (as it does for RocksDB).
 *
 * <p>Range and scan iterators see the state as of their creation. A range whose {@code from} is
 * greater than its {@code to} is empty, as in the RocksDB store.
 *
 * <p>Thread-safety: the stream thread writes; interactive queries may read from other threads at
 * the same time (the engine is thread-safe and every iterator reads one snapshot). After
 * {@link #close()} every call but {@code close}, {@code isOpen} and {@code commit} throws
 * {@link InvalidStateStoreException}.
 *
 * <p>The class is the whole {@code KeyValueStore} contract, which is why it passes 400 lines; the
 * parts with a concept of their own live apart: {@link StoreBookkeeping} (status, offsets,
 * position), {@link UncommittedWrites} and {@link MergedKeyValueIterator} (exactly-once
 * buffering), {@link StoreQueries} (interactive queries), {@link StoreKeys} (layout).
 */
class LsmKeyValueStore implements KeyValueStore<Bytes, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(LsmKeyValueStore.class);
    /** Up to this many entries (as the engine estimates them), {@link #approximateNumEntries()} counts exactly. */
    static final long EXACT_COUNT_LIMIT = 10_000;

    private final String name;
    private final Options options;
    private final Set<LsmKeyValueIterator> openIterators = ConcurrentHashMap.newKeySet();
    private volatile Db db;
    private StateStoreContext context;
    private Path directory;
    private volatile Position position = Position.emptyPosition();
    /** Under exactly-once: the writes since the last commit; null when writes go to the engine directly. */
    private UncommittedWrites uncommitted;
    private StoreMetrics metrics;
    /** The hold on the instance's shared memory budget while open ({@link LsmMemory}). */
    private LsmMemory.Lease memory;
    /** The engine options the store opened with: its own, with the instance's shared budget applied. */
    private Options openedWith;
    /** When commits write and sync; set at open. */
    private CommitSync commitSync;

    LsmKeyValueStore(String name, Options options) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public String name() {
        return name;
    }

    /** The directory the engine store lives in; known once {@link #init} has run. */
    Path directory() {
        return directory;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        this.context = context;
        this.directory = TaskSettings.storeDirectory(context, name);
        boolean exactlyOnce = TaskSettings.exactlyOnce(context);
        open(exactlyOnce, exactlyOnce && TaskSettings.transactionalStateStores(context));
        metrics = StoreMetrics.register(context, LsmStores.METRICS_SCOPE, name, this::engines, openedWith.blockCache());
        context.register(root, (BatchingStateRestoreCallback) this::restoreAll);
    }

    /**
     * Opens this store in {@code directory} without registering it with Kafka Streams: as the
     * bookkeeping part (offsets, status, position) of a segmented store, which registers itself
     * and says whether it holds its writes until commit ({@code buffered}).
     */
    void openAsPart(StateStoreContext context, Path directory, boolean buffered) {
        this.context = context;
        this.directory = directory;
        open(TaskSettings.exactlyOnce(context), buffered);
    }

    /** Opens the engine store and marks it open ({@code buffered}: writes held until commit). */
    private void open(boolean exactlyOnce, boolean buffered) {
        memory = LsmMemory.acquire(context);
        try {
            Files.createDirectories(directory);
            openedWith = memory.applyTo(options);
            Db opened = Db.open(directory, openedWith);
            try {
                position = StoreBookkeeping.open(opened, name, exactlyOnce, buffered);
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
            uncommitted = buffered ? new UncommittedWrites() : null;
            commitSync = CommitSync.of(context, buffered);
            db = opened;
        } catch (IOException e) {
            memory.close();
            throw new ProcessorStateException("store " + name + ": opening " + directory + " failed", e);
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    // ---- writes ----

    @Override
    public void put(Bytes key, byte[] value) {
        Objects.requireNonNull(key, "key cannot be null");
        Db store = openDb();
        if (uncommitted != null) {
            uncommitted.put(key, value);
            trackPosition();
            return;
        }
        try {
            if (value == null) {
                store.delete(StoreKeys.data(key.get()), WriteOptions.noSync());
            } else {
                store.put(StoreKeys.data(key.get()), value, WriteOptions.noSync());
            }
        } catch (IOException e) {
            throw failure("put", e);
        }
        trackPosition();
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    /** Writes every entry (a null value deletes) in one atomic engine batch, or with the next commit's. */
    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        if (uncommitted != null) {
            openDb();
            entries.forEach(entry -> Objects.requireNonNull(entry.key, "key cannot be null"));
            entries.forEach(entry -> uncommitted.put(entry.key, entry.value));
            trackPosition();
            return;
        }
        WriteBatch batch = new WriteBatch();
        for (KeyValue<Bytes, byte[]> entry : entries) {
            Objects.requireNonNull(entry.key, "key cannot be null");
            if (entry.value == null) {
                batch.delete(StoreKeys.data(entry.key.get()));
            } else {
                batch.put(StoreKeys.data(entry.key.get()), entry.value);
            }
        }
        write(batch, "putAll");
        trackPosition();
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] existing = get(key);
        put(key, null);
        return existing;
    }

    /**
     * Applies a batch of changelog records (a null value deletes) as one unsynced engine batch,
     * also under exactly-once: they are committed changelog records, and replaying them again
     * from an older committed offset after a crash gives the same state.
     */
    void restoreAll(Collection<KeyValue<byte[], byte[]>> records) {
        WriteBatch batch = new WriteBatch();
        for (KeyValue<byte[], byte[]> record : records) {
            if (record.value == null) {
                batch.delete(StoreKeys.data(record.key));
            } else {
                batch.put(StoreKeys.data(record.key), record.value);
            }
        }
        write(batch, "restore");
        commitSync.written();
    }

    private void write(WriteBatch batch, String operation) {
        Db store = openDb();
        try {
            store.write(batch, WriteOptions.noSync());
        } catch (IOException e) {
            throw failure(operation, e);
        }
    }

    /** The engine store as a list: empty when closed (for the metrics). */
    List<Db> engines() {
        Db store = db;
        return store == null ? List.of() : List.of(store);
    }

    /** Notes a write for the next commit and advances the position to the record being processed, if any. */
    void trackPosition() {
        commitSync.written();
        if (context != null) {
            context.recordMetadata().ifPresent(m -> position.withComponent(m.topic(), m.partition(), m.offset()));
        }
    }

    // ---- reads ----

    @Override
    public byte[] get(Bytes key) {
        return get(key, true);
    }

    /** The value of {@code key}; with {@code withUncommitted}, as written since the last commit too. */
    byte[] get(Bytes key, boolean withUncommitted) {
        Objects.requireNonNull(key, "key cannot be null");
        Db store = openDb();
        UncommittedWrites writes = withUncommitted ? uncommitted : null;
        if (writes != null) {
            byte[] written = writes.get(key);
            if (written != null) {
                return written == UncommittedWrites.DELETED ? null : written;
            }
        }
        try {
            return store.get(StoreKeys.data(key.get()));
        } catch (IOException e) {
            throw failure("get", e);
        }
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return userRange(from, to, true, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return userRange(from, to, false, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return userRange(null, null, true, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return userRange(null, null, false, true);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return prefixScan(prefix, prefixKeySerializer, true);
    }

    <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer,
            boolean withUncommitted) {
        Objects.requireNonNull(prefix, "prefix cannot be null");
        Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
        byte[] bytes = prefixKeySerializer.serialize(null, prefix);
        byte[] past = EngineRange.pastPrefixOrNull(bytes);
        return iterator(EngineRange.ofPrefix(bytes), true, Bytes.wrap(bytes), past == null ? null : Bytes.wrap(past), false,
                withUncommitted);
    }

    /**
     * The number of user keys: exact (by a scan) while the engine's {@code lsm.estimate-num-keys}
     * is at most {@value #EXACT_COUNT_LIMIT}, where a scan is cheap; above, that estimate plus the
     * writes held until commit, without a scan. The estimate counts every version and tombstone
     * not yet merged by compaction, the store's bookkeeping entries among them, so it may
     * overstate the keys, as RocksDB's {@code rocksdb.estimate-num-keys} does.
     */
    @Override
    public long approximateNumEntries() {
        return approximateNumEntries(true);
    }

    /** As {@link #approximateNumEntries()}; with {@code withUncommitted}, counting the writes held until commit too. */
    long approximateNumEntries(boolean withUncommitted) {
        String estimated = engineProperty("lsm.estimate-num-keys");
        long estimate = estimated == null ? 0 : Long.parseLong(estimated);
        if (estimate <= EXACT_COUNT_LIMIT) {
            return count(userRange(null, null, true, withUncommitted));
        }
        UncommittedWrites writes = withUncommitted ? uncommitted : null;
        return estimate + (writes == null ? 0 : writes.size());
    }

    /** The value of engine property {@code name} ({@code Db#property}); the store must be open. */
    String engineProperty(String name) {
        Db store = openDb();
        try {
            return store.property(name);
        } catch (IllegalStateException e) {
            throw closedDuring(e);
        }
    }

    /** The number of entries {@code entries} has left; closes it. */
    static long count(KeyValueIterator<Bytes, byte[]> entries) {
        long count = 0;
        try (entries) {
            while (entries.hasNext()) {
                entries.next();
                count++;
            }
        }
        return count;
    }

    /** Entries from {@code from} to {@code to} (inclusive; null: open); with {@code withUncommitted}, as written since the last commit too. */
    KeyValueIterator<Bytes, byte[]> userRange(Bytes from, Bytes to, boolean forward, boolean withUncommitted) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            LOG.warn("store {}: range from > to is empty; the bounds may be swapped, or the serde does not keep "
                    + "order in its bytes (the built-in number serdes do not for negative numbers)", name);
            return new EmptyKeyValueIterator();
        }
        EngineRange range = EngineRange.ofUserKeys(from == null ? null : from.get(), to == null ? null : to.get());
        return iterator(range, forward, from, to, true, withUncommitted);
    }

    /** The entries of {@code range}; under exactly-once merged with the uncommitted writes to the same user keys. */
    private KeyValueIterator<Bytes, byte[]> iterator(EngineRange range, boolean forward, Bytes lower, Bytes upper,
            boolean upperInclusive, boolean withUncommitted) {
        // The copy first: a commit between the two leaves its writes in both, never in neither.
        UncommittedWrites writes = withUncommitted ? uncommitted : null;
        List<Map.Entry<Bytes, byte[]>> copy = writes == null ? List.of()
                : writes.copyOfRange(lower, upper, upperInclusive, forward);
        KeyValueIterator<Bytes, byte[]> committed = committedIterator(range, forward);
        return copy.isEmpty() ? committed : new MergedKeyValueIterator(committed, copy, forward, Comparator.naturalOrder(), name);
    }

    private KeyValueIterator<Bytes, byte[]> committedIterator(EngineRange range, boolean forward) {
        Db store = openDb();
        DbIterator entries;
        try {
            entries = store.iterator(ReadOptions.defaults());
        } catch (IOException e) {
            throw failure("iterator", e);
        } catch (IllegalStateException e) {
            throw closedDuring(e);
        }
        LsmKeyValueIterator[] self = new LsmKeyValueIterator[1];
        self[0] = new LsmKeyValueIterator(entries, range, forward, name, () -> openIterators.remove(self[0]));
        openIterators.add(self[0]);
        return self[0];
    }

    // ---- commit, offsets, lifecycle ----

    /**
     * Syncs the engine's log: every write the engine has is durable. Offsets, and under
     * exactly-once the uncommitted writes, are written by {@link #commit} only.
     */
    @Override
    public void flush() {
        Db store = db;
        if (store == null) {
            return;
        }
        try {
            store.write(new WriteBatch(), WriteOptions.sync());
        } catch (IOException e) {
            throw failure("flush", e);
        }
        commitSync.synced();
    }

    /**
     * Writes {@code changelogOffsets} (an empty map clears every stored offset; a null offset
     * clears that partition's), the query position and, with writes held, the writes since the
     * last commit in one batch after every earlier write, so that the offsets never survive a
     * crash without the data they cover. Whether it syncs is {@link CommitSync}'s: always with
     * writes held (the batch is what a reopen must find), otherwise at most every
     * {@value CommitSync#SYNC_INTERVAL_CONFIG}. A commit with nothing new writes nothing.
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        commit(changelogOffsets, false);
    }

    /** As {@link #commit(Map)}; {@code forceSync} syncs whatever the policy says. */
    void commit(Map<TopicPartition, Long> changelogOffsets, boolean forceSync) {
        Db store = db;
        if (store == null || !commitSync.needsWrite(changelogOffsets)) {
            return;
        }
        boolean sync = forceSync || commitSync.syncDue();
        try {
            WriteBatch batch = new WriteBatch();
            StoreBookkeeping.addCommit(batch, store, changelogOffsets, position);
            UncommittedWrites writes = uncommitted;
            if (writes != null) {
                writes.addTo(batch);
            }
            store.write(batch, sync ? WriteOptions.sync() : WriteOptions.noSync());
            if (writes != null) {
                writes.clear(); // readers may see a key in both places for a moment: the same value
            }
        } catch (IOException e) {
            throw failure("commit", e);
        }
        commitSync.committed(changelogOffsets, sync);
    }

    /** Whether the commit policy would sync a commit now (always when writes are held until commit). */
    boolean commitSyncDue() {
        return commitSync.syncDue();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        try {
            return StoreBookkeeping.committedOffset(openDb(), partition, name);
        } catch (IOException e) {
            throw failure("reading the committed offset of " + partition, e);
        }
    }

    @Override
    public boolean managesOffsets() {
        return true;
    }

    /** The bytes written since the last commit and held in memory (under exactly-once; 0 otherwise). */
    @Override
    public long approximateNumUncommittedBytes() {
        UncommittedWrites writes = uncommitted;
        return writes == null ? 0 : writes.bytes();
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return db != null;
    }

    /**
     * Closes open iterators, drops uncommitted writes (Kafka Streams commits before a clean
     * close), marks the store closed cleanly (synced) and closes the engine. Idempotent.
     */
    @Override
    public synchronized void close() {
        Db store = db;
        if (store == null) {
            return;
        }
        db = null;
        if (metrics != null) {
            metrics.remove();
            metrics = null;
        }
        if (uncommitted != null) {
            uncommitted.clear();
        }
        for (LsmKeyValueIterator iterator : new ArrayList<>(openIterators)) {
            iterator.close();
        }
        try {
            try {
                StoreBookkeeping.markClosed(store);
            } finally {
                try {
                    store.close();
                } finally {
                    memory.close();
                }
            }
        } catch (IOException e) {
            throw failure("close", e);
        }
    }

    /**
     * The store as interactive queries see it: under {@code READ_COMMITTED} and with writes held
     * until commit, without the writes since the last commit (what a crash would keep); otherwise
     * the store itself.
     */
    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        openDb();
        return isolationLevel == IsolationLevel.READ_COMMITTED && uncommitted != null
                ? new ReadCommittedView(this) : this;
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return StoreQueries.run(this, query, positionBound, config, position,
                (q, c) -> StoreQueries.keyValue(this, q, c));
    }

    @Override
    public Position getPosition() {
        return position;
    }

    // ---- helpers ----

    private Db openDb() {
        Db store = db;
        if (store == null) {
            throw new InvalidStateStoreException("store " + name + " is not open");
        }
        return store;
    }

    private RuntimeException failure(String operation, IOException e) {
        return new ProcessorStateException("store " + name + " in " + directory + ": " + operation + " failed", e);
    }

    private RuntimeException closedDuring(IllegalStateException e) {
        return new InvalidStateStoreException("store " + name + " was closed during the call", e);
    }
}
