package org.lsmtree.kafka;

import java.util.Arrays;
import java.util.NoSuchElementException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.lsmtree.engine.Options;

/**
 * A persistent {@code WindowStore<Bytes, byte[]>} of Kafka Streams on lsmtree: entries under
 * {@link WindowKeys} binary keys in time segments by window start ({@link SegmentedStore}).
 *
 * <p>With {@code retainDuplicates} (stream-stream joins) every put is a new entry with its own
 * sequence number and a null value is ignored; otherwise a put replaces the window's value and a
 * null value deletes it. Fetches return windows whose start is in the asked range and still
 * retained; a key range with {@code from > to} is empty. Thread-safety: as {@link SegmentedStore}.
 */
class LsmWindowStore extends SegmentedStore implements WindowStore<Bytes, byte[]> {
    private final long windowSize;
    private final boolean retainDuplicates;
    private int seq;

    LsmWindowStore(String name, Options options, long retention, long segmentInterval, long windowSize,
            boolean retainDuplicates) {
        super(name, options, segmentInterval, retention, WindowKeys::windowStart);
        this.windowSize = windowSize;
        this.retainDuplicates = retainDuplicates;
    }

    @Override
    String metricsScope() {
        return LsmStores.METRICS_SCOPE + "-window";
    }

    @Override
    public void put(Bytes key, byte[] value, long windowStartTimestamp) {
        java.util.Objects.requireNonNull(key, "key cannot be null");
        if (retainDuplicates) {
            if (value == null) {
                return;
            }
            seq = seq == Integer.MAX_VALUE ? 1 : seq + 1; // never 0, the sequence of a plain window
        }
        putBinary(WindowKeys.encode(key.get(), windowStartTimestamp, retainDuplicates ? seq : 0), value);
    }

    @Override
    public byte[] fetch(Bytes key, long time) {
        return getBinary(WindowKeys.encode(key.get(), time, 0));
    }

    @Override
    public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
        return singleKey(key, timeFrom, timeTo, true);
    }

    @Override
    public WindowStoreIterator<byte[]> backwardFetch(Bytes key, long timeFrom, long timeTo) {
        return singleKey(key, timeFrom, timeTo, false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
        return keyRange(keyFrom, keyTo, timeFrom, timeTo, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(Bytes keyFrom, Bytes keyTo, long timeFrom,
            long timeTo) {
        return keyRange(keyFrom, keyTo, timeFrom, timeTo, false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
        return keyRange(null, null, timeFrom, timeTo, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(long timeFrom, long timeTo) {
        return keyRange(null, null, timeFrom, timeTo, false);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
        return keyRange(null, null, Long.MIN_VALUE, Long.MAX_VALUE, true);
    }

    @Override
    public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
        return keyRange(null, null, Long.MIN_VALUE, Long.MAX_VALUE, false);
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return StoreQueries.run(this, query, positionBound, config, getPosition(),
                (q, c) -> StoreQueries.window(this, q));
    }

    private WindowStoreIterator<byte[]> singleKey(Bytes key, long timeFrom, long timeTo, boolean forward) {
        long from = actualFrom(timeFrom);
        byte[] k = key.get();
        // Window starts are not negative: a negative bound would sort after every positive one in the bytes.
        KeyValueIterator<Bytes, byte[]> entries = scan(from, timeTo,
                WindowKeys.encode(k, Math.max(0, from), 0), WindowKeys.encode(k, timeTo, -1), forward,
                binary -> WindowKeys.valid(binary) && Arrays.equals(WindowKeys.key(binary), k)
                        && inRange(WindowKeys.windowStart(binary), from, timeTo));
        return new TimestampIterator(entries);
    }

    private KeyValueIterator<Windowed<Bytes>, byte[]> keyRange(Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo,
            boolean forward) {
        if (keyFrom != null && keyTo != null && keyFrom.compareTo(keyTo) > 0) {
            return new WindowedIterator(new EmptyKeyValueIterator(), this::window);
        }
        long from = actualFrom(timeFrom);
        byte[] lower = keyFrom == null ? null : keyFrom.get();
        byte[] upper = keyTo == null ? null : EngineRange.pastPrefixOrNull(keyTo.get());
        KeyValueIterator<Bytes, byte[]> entries = scan(from, timeTo, lower, upper, forward, binary -> {
            if (!WindowKeys.valid(binary)) {
                return false;
            }
            Bytes k = Bytes.wrap(WindowKeys.key(binary));
            return (keyFrom == null || k.compareTo(keyFrom) >= 0) && (keyTo == null || k.compareTo(keyTo) <= 0)
                    && inRange(WindowKeys.windowStart(binary), from, timeTo);
        });
        return new WindowedIterator(entries, this::window);
    }

    private Windowed<Bytes> window(byte[] binary) {
        long start = WindowKeys.windowStart(binary);
        long end = start + windowSize < start ? Long.MAX_VALUE : start + windowSize;
        return new Windowed<>(Bytes.wrap(WindowKeys.key(binary)), new TimeWindow(start, end));
    }

    private static boolean inRange(long time, long from, long to) {
        return time >= from && time <= to;
    }

    /** Entries of one key as window start to value. */
    private static final class TimestampIterator implements WindowStoreIterator<byte[]> {
        private final KeyValueIterator<Bytes, byte[]> entries;

        TimestampIterator(KeyValueIterator<Bytes, byte[]> entries) {
            this.entries = entries;
        }

        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public KeyValue<Long, byte[]> next() {
            KeyValue<Bytes, byte[]> next = entries.next();
            return KeyValue.pair(WindowKeys.windowStart(next.key.get()), next.value);
        }

        @Override
        public Long peekNextKey() {
            if (!entries.hasNext()) {
                throw new NoSuchElementException("the iterator is past its last entry");
            }
            return WindowKeys.windowStart(entries.peekNextKey().get());
        }

        @Override
        public void close() {
            entries.close();
        }
    }
}
