package org.lsmtree.kafka;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.lsmtree.engine.Options;

/**
 * Store suppliers that put Kafka Streams state in lsmtree instead of RocksDB; the counterpart of
 * {@code org.apache.kafka.streams.state.Stores}. Use them wherever a supplier is taken:
 *
 * <pre>{@code
 * builder.table("words", Materialized.as(LsmStores.persistentKeyValueStore("counts")));
 * }</pre>
 *
 * Each store lives in its own engine store under {@code <task state dir>/lsm/<name>}.
 */
public final class LsmStores {
    /** The metrics scope of every store made here. */
    public static final String METRICS_SCOPE = "lsm";

    private LsmStores() {}

    /** A persistent key-value store with the engine's default options. */
    public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
        return persistentKeyValueStore(name, Options.defaults());
    }

    /** A persistent key-value store whose engine store is opened with {@code options}. */
    public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name, Options options) {
        return new LsmKeyValueBytesStoreSupplier(name, options);
    }
}
