package org.lsmtree.kafka;

import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.lsmtree.engine.Options;

/**
 * Store suppliers that put Kafka Streams state in lsmtree instead of RocksDB; the counterpart of
 * {@code org.apache.kafka.streams.state.Stores}, with the same arguments and checks. Use them
 * wherever a supplier is taken:
 *
 * <pre>{@code
 * builder.table("words", Materialized.as(LsmStores.persistentKeyValueStore("counts")));
 * }</pre>
 *
 * or switch every DSL store of an application at once with {@link LsmDslStoreSuppliers}. Each
 * store lives under {@code <task state dir>/lsm/<name>}; the {@code Options} variants open its
 * engine stores with the given engine options.
 */
public final class LsmStores {
    /** The metrics scope of the key-value stores made here (window and session stores add a suffix). */
    public static final String METRICS_SCOPE = "lsm";

    /**
     * Application config: under at-least-once (and exactly-once without transactional state
     * stores), the longest time in milliseconds between two syncs of a store's log at commit
     * (10000 by default; 0 syncs at every commit). With writes held until commit every commit
     * syncs, whatever this says. See docs/kafka-streams.md, "Durability".
     */
    public static final String COMMIT_SYNC_INTERVAL_MS_CONFIG = "lsm.commit.sync.interval.ms";

    private LsmStores() {}

    /** A persistent key-value store with the engine's default options. */
    public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
        return persistentKeyValueStore(name, Options.defaults());
    }

    /** A persistent key-value store whose engine store is opened with {@code options}. */
    public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name, Options options) {
        return new LsmKeyValueBytesStoreSupplier(name, options, false);
    }

    /** A persistent key-value store in the timestamped format (for {@code TimestampedKeyValueStore}s). */
    public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStore(String name) {
        return persistentTimestampedKeyValueStore(name, Options.defaults());
    }

    /** The timestamped key-value store with engine {@code options}. */
    public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStore(String name, Options options) {
        return new LsmKeyValueBytesStoreSupplier(name, options, true);
    }

    /**
     * A persistent window store keeping windows for {@code retentionPeriod} (at least
     * {@code windowSize}), in time segments of {@code max(retention / 2, 60 s)} as Kafka's own.
     */
    public static WindowBytesStoreSupplier persistentWindowStore(String name, Duration retentionPeriod,
            Duration windowSize, boolean retainDuplicates) {
        return windowStore(name, retentionPeriod, windowSize, retainDuplicates, false, Options.defaults());
    }

    /** The window store in the timestamped format (for {@code TimestampedWindowStore}s). */
    public static WindowBytesStoreSupplier persistentTimestampedWindowStore(String name, Duration retentionPeriod,
            Duration windowSize, boolean retainDuplicates) {
        return windowStore(name, retentionPeriod, windowSize, retainDuplicates, true, Options.defaults());
    }

    /** A window store with every choice explicit, engine options included. */
    public static WindowBytesStoreSupplier windowStore(String name, Duration retentionPeriod, Duration windowSize,
            boolean retainDuplicates, boolean timestamped, Options options) {
        long retention = nonNegativeMillis(retentionPeriod, "retentionPeriod");
        long size = nonNegativeMillis(windowSize, "windowSize");
        if (size > retention) {
            throw new IllegalArgumentException("the retention period of window store " + name
                    + " must be no smaller than its window size; got size=" + size + " retention=" + retention);
        }
        return new LsmWindowBytesStoreSupplier(name, options, retention, segmentInterval(retention), size,
                retainDuplicates, timestamped);
    }

    /** A persistent session store keeping sessions for {@code retentionPeriod}. */
    public static SessionBytesStoreSupplier persistentSessionStore(String name, Duration retentionPeriod) {
        return persistentSessionStore(name, retentionPeriod, Options.defaults());
    }

    /** The session store with engine {@code options}. */
    public static SessionBytesStoreSupplier persistentSessionStore(String name, Duration retentionPeriod,
            Options options) {
        long retention = nonNegativeMillis(retentionPeriod, "retentionPeriod");
        return new LsmSessionBytesStoreSupplier(name, options, retention, segmentInterval(retention));
    }

    private static long segmentInterval(long retention) {
        return Math.max(retention / 2, 60_000L);
    }

    private static long nonNegativeMillis(Duration duration, String what) {
        if (duration == null) {
            throw new NullPointerException(what + " cannot be null");
        }
        long millis = duration.toMillis();
        if (millis < 0) {
            throw new IllegalArgumentException(what + " cannot be negative; got " + duration);
        }
        return millis;
    }
}
