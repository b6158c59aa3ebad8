package org.lsmtree.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.WriteOptions;
import org.lsmtree.wal.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the window and session stores share: binary entries in time {@link Segments} under
 * {@code <task state dir>/lsm/<name>/}, and an {@link LsmKeyValueStore} in {@code meta/} beside them
 * that keeps the committed changelog offsets, the position and the open/closed status exactly as
 * the key-value store keeps its own.
 *
 * <p>Durability: segment writes are unsynced; a {@link #commit} that syncs ({@link CommitSync}:
 * every commit with writes held, else at most every {@value CommitSync#SYNC_INTERVAL_CONFIG})
 * syncs every segment written since the last sync and only then writes the offsets (synced), so
 * the offsets never cover data that is not durable. A commit that does not sync writes no offsets
 * (the segments are separate logs: unsynced offsets could outlive unsynced data); it keeps them
 * for the next commit that syncs, or for {@link #close}, which syncs the segments and writes them.
 * Across several engine stores this is ordered rather than atomic: after a crash the segments may
 * hold writes past the offsets, which replaying the changelog from the offsets overwrites under
 * at-least-once. Under exactly-once with transactional state stores the writes
 * since the last commit are held in memory ({@link UncommittedSegmentWrites}, merged into reads)
 * and reach the segments at commit, so segments only ever run ahead of the offsets with writes of
 * transactions Kafka has committed, and the store is trusted after a crash; under exactly-once
 * without them, the status key turns an unclean shutdown into a wipe and full restore (as for the
 * key-value store).
 *
 * <p>Stream time only moves forward with the timestamps written; an entry older than
 * {@code streamTime - retention} is not written (its segment is gone) and is not returned.
 *
 * <p>Thread-safety: as {@link LsmKeyValueStore}: one writing thread, readers on others.
 *
 * <p>The class is the {@code StateStore} contract the window and session stores share (writes,
 * reads, restore, commit, lifecycle), which is why it passes 400 lines; the parts with a concept of
 * their own live apart: {@link Segments}, {@link UncommittedSegmentWrites}, {@link CommitSync},
 * {@link StoreMetrics}.
 */
abstract class SegmentedStore implements StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentedStore.class);

    private final String name;
    private final Options options;
    private final long segmentInterval;
    final long retention;
    private final ToLongFunction<byte[]> segmentTime;
    private volatile Segments segments;
    private LsmKeyValueStore meta;
    private StoreMetrics metrics;
    /** The hold on the instance's shared memory budget for the segments while open ({@link LsmMemory}). */
    private LsmMemory.Lease memory;
    /** Under exactly-once with transactional state stores: the writes since the last commit; else null. */
    private UncommittedSegmentWrites uncommitted;
    /** Offsets of a commit that did not sync (so did not write them yet); written by the next that does, or by close. */
    private Map<TopicPartition, Long> pendingOffsets;
    volatile long streamTime = Long.MIN_VALUE;

    SegmentedStore(String name, Options options, long segmentInterval, long retention,
            ToLongFunction<byte[]> segmentTime) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        this.segmentInterval = segmentInterval;
        this.retention = retention;
        this.segmentTime = segmentTime;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        Path directory = TaskSettings.storeDirectory(context, name);
        boolean buffered = TaskSettings.exactlyOnce(context) && TaskSettings.transactionalStateStores(context);
        meta = new LsmKeyValueStore(name, options);
        meta.openAsPart(context, directory.resolve("meta"), buffered);
        memory = LsmMemory.acquire(context);
        Options applied = memory.applyTo(options);
        Segments opened = new Segments(name, directory, applied, segmentInterval, retention);
        try {
            long newest = opened.openExisting();
            if (newest >= 0) {
                streamTime = newest;
            }
        } catch (IOException e) {
            memory.close();
            meta.close();
            try {
                opened.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new ProcessorStateException("store " + name + ": opening the segments in " + directory + " failed", e);
        }
        uncommitted = buffered ? new UncommittedSegmentWrites() : null;
        segments = opened;
        metrics = StoreMetrics.register(context, metricsScope(), name, this::engines, applied.blockCache());
        context.register(root, (BatchingStateRestoreCallback) this::restoreAll);
    }

    /** Writes {@code value} (null deletes) under {@code binaryKey}, whose segment time the subclass knows. */
    void putBinary(byte[] binaryKey, byte[] value) {
        Segments live = openSegments();
        long time = segmentTime.applyAsLong(binaryKey);
        streamTime = Math.max(streamTime, time);
        if (uncommitted != null) {
            if (live.isLive(time, streamTime)) {
                uncommitted.put(live.segmentId(time), Bytes.wrap(binaryKey), value);
                meta.trackPosition();
            }
            return;
        }
        try {
            Db segment = live.getOrCreateIfLive(time, streamTime);
            if (segment == null) {
                LOG.debug("store {}: skipping a write at {} that is out of retention", name, time);
                return;
            }
            if (value == null) {
                segment.delete(StoreKeys.data(binaryKey), WriteOptions.noSync());
            } else {
                segment.put(StoreKeys.data(binaryKey), value, WriteOptions.noSync());
            }
        } catch (IOException e) {
            throw failure("put", e);
        }
        meta.trackPosition();
    }

    /** Deletes {@code binaryKey} if its segment still exists; stream time moves to its time, as for a put. */
    void removeBinary(byte[] binaryKey) {
        Segments live = openSegments();
        long time = segmentTime.applyAsLong(binaryKey);
        streamTime = Math.max(streamTime, time);
        if (uncommitted != null) {
            if (live.isLive(time, streamTime)) {
                uncommitted.put(live.segmentId(time), Bytes.wrap(binaryKey), null);
                meta.trackPosition();
            }
            return;
        }
        Db segment = live.get(time);
        if (segment == null) {
            return;
        }
        try {
            segment.delete(StoreKeys.data(binaryKey), WriteOptions.noSync());
            openSegments().written(segmentTime.applyAsLong(binaryKey));
        } catch (IOException e) {
            throw failure("remove", e);
        }
        meta.trackPosition();
    }

    /** The value under {@code binaryKey}, or null when absent or out of retention. */
    byte[] getBinary(byte[] binaryKey) {
        long time = segmentTime.applyAsLong(binaryKey);
        if (expired(time)) {
            return null;
        }
        Segments live = openSegments();
        UncommittedSegmentWrites writes = uncommitted;
        if (writes != null) {
            byte[] written = writes.get(live.segmentId(time), Bytes.wrap(binaryKey));
            if (written != null) {
                return written == UncommittedWrites.DELETED ? null : written;
            }
        }
        Db segment = live.get(time);
        try {
            return segment == null ? null : segment.get(StoreKeys.data(binaryKey));
        } catch (IOException e) {
            throw failure("get", e);
        } catch (IllegalStateException e) {
            throw closedDuring(e);
        }
    }

    /** Whether entries at {@code time} are past retention. */
    boolean expired(long time) {
        return streamTime != Long.MIN_VALUE && time <= streamTime - retention;
    }

    /** The earliest time still retained, given the lower bound {@code from} a caller asked for. */
    long actualFrom(long from) {
        return streamTime == Long.MIN_VALUE ? from : Math.max(from, streamTime - retention + 1);
    }

    /**
     * Entries of binary keys in {@code [lower, upper]} (null: unbounded) in the segments
     * overlapping {@code [timeFrom, timeTo]}, filtered by {@code keep}.
     */
    KeyValueIterator<Bytes, byte[]> scan(long timeFrom, long timeTo, byte[] lower, byte[] upper, boolean forward,
            Predicate<byte[]> keep) {
        Segments live = openSegments();
        UncommittedSegmentWrites writes = uncommitted;
        // The copy first: a commit between the two leaves its writes in both, never in neither.
        List<Map.Entry<Bytes, byte[]>> copy = writes == null || timeFrom > timeTo ? List.of()
                : writes.copy(live.segmentId(timeFrom), live.segmentId(timeTo), binary -> inRange(binary, lower, upper)
                        && keep.test(binary), forward);
        KeyValueIterator<Bytes, byte[]> committed =
                new SegmentsIterator(live.between(timeFrom, timeTo), EngineRange.ofUserKeys(lower, upper), forward, keep, name);
        if (copy.isEmpty()) {
            return committed;
        }
        Comparator<Bytes> order = Comparator.<Bytes>comparingLong(k -> live.segmentId(segmentTime.applyAsLong(k.get())))
                .thenComparing(Comparator.naturalOrder());
        return new MergedKeyValueIterator(committed, copy, forward, order, name);
    }

    private static boolean inRange(byte[] key, byte[] lower, byte[] upper) {
        return (lower == null || java.util.Arrays.compareUnsigned(key, lower) >= 0)
                && (upper == null || java.util.Arrays.compareUnsigned(key, upper) <= 0);
    }

    void restoreAll(Collection<KeyValue<byte[], byte[]>> records) {
        Segments live = openSegments();
        Map<Db, WriteBatch> batches = new java.util.IdentityHashMap<>();
        List<Db> order = new ArrayList<>();
        try {
            for (KeyValue<byte[], byte[]> record : records) {
                long time = segmentTime.applyAsLong(record.key);
                streamTime = Math.max(streamTime, time);
                Db segment = live.getOrCreateIfLive(time, streamTime);
                if (segment == null) {
                    continue;
                }
                WriteBatch batch = batches.computeIfAbsent(segment, s -> {
                    order.add(s);
                    return new WriteBatch();
                });
                if (record.value == null) {
                    batch.delete(StoreKeys.data(record.key));
                } else {
                    batch.put(StoreKeys.data(record.key), record.value);
                }
            }
            for (Db segment : order) {
                if (live.contains(segment)) { // not dropped by retention while this batch was built
                    segment.write(batches.get(segment), WriteOptions.noSync());
                }
            }
        } catch (IOException e) {
            throw failure("restore", e);
        }
    }

    @Override
    public void flush() {
        Segments live = segments;
        if (live == null) {
            return;
        }
        try {
            live.syncDirty();
        } catch (IOException e) {
            throw failure("flush", e);
        }
    }

    /**
     * Under exactly-once with transactional stores, first writes the held writes to their
     * segments (those still retained); then, when {@link CommitSync} says so (always with held
     * writes), syncs every segment written since the last sync and writes the offsets; otherwise
     * keeps the offsets for the next commit that syncs, or the close. A crash part way leaves segments ahead of the offsets with writes
     * of transactions Kafka has committed, which replaying the changelog rewrites alike.
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        Segments live = segments;
        if (live == null) {
            return;
        }
        UncommittedSegmentWrites writes = uncommitted;
        if (writes != null) {
            writeHeld(live, writes);
        }
        if (writes != null || meta.commitSyncDue()) {
            try {
                syncAndWriteOffsets(live, changelogOffsets);
            } catch (IOException e) {
                throw failure("commit", e);
            }
        } else {
            pendingOffsets = new java.util.HashMap<>(changelogOffsets);
        }
    }

    /** Syncs the segments written since the last sync, then writes {@code offsets} to {@code meta/}, synced. */
    private void syncAndWriteOffsets(Segments live, Map<TopicPartition, Long> offsets) throws IOException {
        live.syncDirty();
        meta.commit(offsets, true);
        pendingOffsets = null;
    }

    private void writeHeld(Segments live, UncommittedSegmentWrites writes) {
        try {
            for (Map.Entry<Long, WriteBatch> batch : writes.batchesBySegment().entrySet()) {
                Db segment = live.getOrCreateIfLive(batch.getKey() * segmentInterval, streamTime);
                if (segment != null) {
                    segment.write(batch.getValue(), WriteOptions.noSync()); // synced by the commit next
                }
            }
        } catch (IOException e) {
            throw failure("commit", e);
        }
        writes.clear();
    }

    /** The bytes written since the last commit and held in memory (0 unless writes are held). */
    @Override
    public long approximateNumUncommittedBytes() {
        UncommittedSegmentWrites writes = uncommitted;
        return writes == null ? 0 : writes.bytes();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        openSegments();
        Map<TopicPartition, Long> pending = pendingOffsets;
        if (pending != null && (pending.isEmpty() || pending.containsKey(partition))) {
            return pending.get(partition); // what the last commit recorded, written by the next sync
        }
        return meta.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return true;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return segments != null;
    }

    @Override
    public synchronized void close() {
        Segments live = segments;
        if (live == null) {
            return;
        }
        segments = null;
        if (uncommitted != null) {
            uncommitted.clear(); // Kafka Streams commits before a clean close
        }
        if (metrics != null) {
            metrics.remove();
            metrics = null;
        }
        try {
            if (pendingOffsets != null) {
                syncAndWriteOffsets(live, pendingOffsets);
            }
            live.close();
        } catch (IOException e) {
            throw failure("close", e);
        } finally {
            memory.close();
            meta.close();
        }
    }

    @Override
    public Position getPosition() {
        return meta == null ? Position.emptyPosition() : meta.getPosition();
    }

    /** The scope of the store's metrics, as its supplier's {@code metricsScope()}. */
    abstract String metricsScope();

    /** The open engine stores: the segments and {@code meta/} (none once closed). */
    private List<Db> engines() {
        Segments live = segments;
        if (live == null) {
            return List.of();
        }
        List<Db> engines = live.all();
        engines.addAll(meta.engines());
        return engines;
    }

    Segments openSegments() {
        Segments live = segments;
        if (live == null) {
            throw new InvalidStateStoreException("store " + name + " is not open");
        }
        return live;
    }

    RuntimeException failure(String operation, IOException e) {
        return new ProcessorStateException("store " + name + ": " + operation + " failed", e);
    }

    private RuntimeException closedDuring(IllegalStateException e) {
        return new InvalidStateStoreException("store " + name + " was closed during the call", e);
    }
}
