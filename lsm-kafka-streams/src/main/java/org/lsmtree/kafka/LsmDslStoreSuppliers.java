package org.lsmtree.kafka;

import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every store the DSL makes, on lsmtree (KIP-954): set
 * {@code dsl.store.suppliers.class=org.lsmtree.kafka.LsmDslStoreSuppliers} and the key-value,
 * window and session stores of every operator that does not name its own supplier move off RocksDB,
 * without a change to the topology.
 *
 * <p>Two kinds of DSL store have no lsmtree counterpart yet and stay on RocksDB, each with a
 * warning at topology build: the time-ordered stores of emit-on-window-close aggregations, and the
 * stores with record headers ({@code dsl.store.format=headers}). Stateless; thread-safe.
 */
public final class LsmDslStoreSuppliers implements DslStoreSuppliers {
    private static final Logger LOG = LoggerFactory.getLogger(LsmDslStoreSuppliers.class);

    private final DslStoreSuppliers fallback = new BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers();

    /** Made by Kafka Streams from the class name in the config. */
    public LsmDslStoreSuppliers() {}

    @Override
    public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
        return switch (params.dslStoreFormat()) {
            case PLAIN -> LsmStores.persistentKeyValueStore(params.name());
            case TIMESTAMPED -> LsmStores.persistentTimestampedKeyValueStore(params.name());
            default -> {
                warnFallback(params.name(), "its format is " + params.dslStoreFormat());
                yield fallback.keyValueStore(params);
            }
        };
    }

    @Override
    public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
        if (params.emitStrategy().type() == EmitStrategy.StrategyType.ON_WINDOW_CLOSE) {
            warnFallback(params.name(), "it emits on window close");
            return fallback.windowStore(params);
        }
        if (params.dslStoreFormat() == DslStoreFormat.HEADERS) {
            warnFallback(params.name(), "its format is " + params.dslStoreFormat());
            return fallback.windowStore(params);
        }
        return params.dslStoreFormat() == DslStoreFormat.TIMESTAMPED
                ? LsmStores.persistentTimestampedWindowStore(params.name(), params.retentionPeriod(),
                        params.windowSize(), params.retainDuplicates())
                : LsmStores.persistentWindowStore(params.name(), params.retentionPeriod(), params.windowSize(),
                        params.retainDuplicates());
    }

    @Override
    public SessionBytesStoreSupplier sessionStore(DslSessionParams params) {
        if (params.emitStrategy().type() == EmitStrategy.StrategyType.ON_WINDOW_CLOSE) {
            warnFallback(params.name(), "it emits on window close");
            return fallback.sessionStore(params);
        }
        if (params.storeFormat() == DslStoreFormat.HEADERS) {
            warnFallback(params.name(), "its format is " + params.storeFormat());
            return fallback.sessionStore(params);
        }
        return LsmStores.persistentSessionStore(params.name(), params.retentionPeriod());
    }

    private static void warnFallback(String store, String why) {
        LOG.warn("store {} stays on RocksDB: {}, which lsmtree stores do not support yet", store, why);
    }
}
