package org.lsmtree.kafka;

import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.lsmtree.engine.Options;

/** Makes {@link LsmKeyValueStore}s (or timestamped ones) of one name and engine options, one per task. Immutable. */
final class LsmKeyValueBytesStoreSupplier implements KeyValueBytesStoreSupplier {
    private final String name;
    private final Options options;
    private final boolean timestamped;

    LsmKeyValueBytesStoreSupplier(String name, Options options, boolean timestamped) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.options = Objects.requireNonNull(options, "options cannot be null");
        this.timestamped = timestamped;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return timestamped ? new LsmTimestampedKeyValueStore(name, options) : new LsmKeyValueStore(name, options);
    }

    /** The engine options of the stores made here. */
    Options options() {
        return options;
    }

    @Override
    public String metricsScope() {
        return LsmStores.METRICS_SCOPE;
    }
}
