package org.lsmtree.kafka;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
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
import org.lsmtree.engine.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every store the DSL makes, on lsmtree (KIP-954): set
 * {@code dsl.store.suppliers.class=org.lsmtree.kafka.LsmDslStoreSuppliers} and the key-value,
 * window and session stores of every operator that does not name its own supplier move off RocksDB,
 * without a change to the topology.
 *
 * <p>The engine stores are opened with {@code Options.defaults()}, except for the memtable size,
 * which the application config {@value #WRITE_BUFFER_BYTES_CONFIG} sets (bytes per engine store;
 * one store of each task holds one memtable, a window or session store one per live segment).
 *
 * <p>Two kinds of DSL store have no lsmtree counterpart yet and stay on RocksDB, each with a
 * warning at topology build: the time-ordered stores of emit-on-window-close aggregations, and the
 * stores with record headers ({@code dsl.store.format=headers}). Thread-safe once configured.
 */
public final class LsmDslStoreSuppliers implements DslStoreSuppliers {
    /** The application config giving each engine store's memtable size in bytes (default 4 MiB). */
    public static final String WRITE_BUFFER_BYTES_CONFIG = "lsm.write.buffer.bytes";

    private static final Logger LOG = LoggerFactory.getLogger(LsmDslStoreSuppliers.class);

    private final DslStoreSuppliers fallback = new BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers();
    private volatile Options options = Options.defaults();

    /** Made by Kafka Streams from the class name in the config. */
    public LsmDslStoreSuppliers() {}

    /** Reads {@value #WRITE_BUFFER_BYTES_CONFIG}; a value that is not a whole number of at least 1 KiB is refused. */
    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(WRITE_BUFFER_BYTES_CONFIG);
        if (value == null) {
            return;
        }
        long bytes;
        try {
            bytes = Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(WRITE_BUFFER_BYTES_CONFIG, value, "not a whole number of bytes");
        }
        if (bytes < 1024) {
            throw new ConfigException(WRITE_BUFFER_BYTES_CONFIG, value, "under 1 KiB");
        }
        options = Options.defaults().withWriteBufferSize(bytes);
    }

    /** The engine options of the stores made here. */
    Options options() {
        return options;
    }

    @Override
    public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
        return switch (params.dslStoreFormat()) {
            case PLAIN -> LsmStores.persistentKeyValueStore(params.name(), options);
            case TIMESTAMPED -> LsmStores.persistentTimestampedKeyValueStore(params.name(), options);
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
        return LsmStores.windowStore(params.name(), params.retentionPeriod(), params.windowSize(),
                params.retainDuplicates(), params.dslStoreFormat() == DslStoreFormat.TIMESTAMPED, options);
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
        return LsmStores.persistentSessionStore(params.name(), params.retentionPeriod(), options);
    }

    private static void warnFallback(String store, String why) {
        LOG.warn("store {} stays on RocksDB: {}, which lsmtree stores do not support yet", store, why);
    }
}
