package org.lsmtree.kafka;

import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionStore;
import org.lsmtree.engine.Options;

/** Makes {@link LsmSessionStore}s, one per task. Immutable. */
record LsmSessionBytesStoreSupplier(String name, Options options, long retentionPeriod, long segmentIntervalMs)
        implements SessionBytesStoreSupplier {

    LsmSessionBytesStoreSupplier {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(options, "options cannot be null");
    }

    @Override
    public SessionStore<Bytes, byte[]> get() {
        return new LsmSessionStore(name, options, retentionPeriod, segmentIntervalMs);
    }

    @Override
    public String metricsScope() {
        return LsmStores.METRICS_SCOPE + "-session";
    }
}
