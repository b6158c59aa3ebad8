package org.lsmtree.kafka;

import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.lsmtree.engine.Options;

/** Makes {@link LsmWindowStore}s (or timestamped ones), one per task. Immutable. */
record LsmWindowBytesStoreSupplier(String name, Options options, long retentionPeriod, long segmentIntervalMs,
        long windowSize, boolean retainDuplicates, boolean timestamped) implements WindowBytesStoreSupplier {

    LsmWindowBytesStoreSupplier {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(options, "options cannot be null");
    }

    @Override
    public WindowStore<Bytes, byte[]> get() {
        return timestamped
                ? new LsmTimestampedWindowStore(name, options, retentionPeriod, segmentIntervalMs, windowSize, retainDuplicates)
                : new LsmWindowStore(name, options, retentionPeriod, segmentIntervalMs, windowSize, retainDuplicates);
    }

    @Override
    public String metricsScope() {
        return LsmStores.METRICS_SCOPE + "-window";
    }
}
