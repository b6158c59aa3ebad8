package org.lsmtree.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.lsmtree.engine.BlockCache;
import org.lsmtree.engine.Db;

/**
 * The gauges one store registers with Kafka Streams, named, grouped and tagged as the RocksDB
 * store's ({@code RocksDBMetricsRecorder}): group {@code stream-state-metrics}, tags
 * {@code thread-id}, {@code task-id} and {@code <metrics scope>-state-id} (the scope of the
 * store's supplier: {@code lsm}, {@code lsm-window}, {@code lsm-session}, where RocksDB's are
 * {@code rocksdb}, {@code rocksdb-window}, {@code rocksdb-session}), recording level INFO, values
 * summed over the store's engine stores (a window or session store has one per segment), read
 * when metrics are read. RocksDB's recorder adds its gauges through Kafka Streams' internal
 * {@code StreamsMetricsImpl}; these go through the public {@link StreamsMetrics} API instead (a
 * sensor holding gauges), and {@link #remove} takes them away when the store closes.
 *
 * <p>The gauges ({@link EngineFigures} reads them from the engine's properties):
 * {@code cur-size-active-mem-table}, {@code cur-size-all-mem-tables}, {@code estimate-num-keys},
 * {@code block-cache-usage}, {@code block-cache-capacity}, {@code block-cache-data-hit-ratio}
 * (hits over reads since the cache was made; our cache holds data blocks only), {@code
 * background-errors} (engine stores in background-error state), {@code write-stall-duration-total}
 * (ms the engine stores' writers have stalled, since they opened) and {@code num-files-at-level0}
 * (RocksDB's property name; Kafka's recorder has no such gauge). A block cache shared by several
 * stores (Options#withBlockCache) is reported whole by each of them, as RocksDB's recorder reports
 * a shared cache. Kafka Streams' metered layer adds {@code uncommitted-bytes} from the store's
 * {@code approximateNumUncommittedBytes()} under the same tags.
 *
 * <p>Thread-safety: registered and removed by the stream thread; gauges are read by any thread.
 */
final class StoreMetrics {
    static final String GROUP = "stream-state-metrics";

    private final StreamsMetrics metrics;
    private final Sensor sensor;

    private StoreMetrics(StreamsMetrics metrics, Sensor sensor) {
        this.metrics = metrics;
        this.sensor = sensor;
    }

    /**
     * Registers the gauges of store {@code store} of metrics scope {@code scope} over the engine
     * stores {@code engines} gives when asked ({@code sharedCache}: the block cache they share, or
     * null when each has its own); call on the stream thread, from {@code init}.
     */
    static StoreMetrics register(StateStoreContext context, String scope, String store, Supplier<List<Db>> engines,
            BlockCache sharedCache) {
        StreamsMetrics metrics = context.metrics();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("thread-id", Thread.currentThread().getName());
        tags.put("task-id", context.taskId().toString());
        tags.put(scope + "-state-id", store);
        Sensor sensor = metrics.addSensor(scope + "." + context.taskId() + "." + store + ".gauges",
                Sensor.RecordingLevel.INFO);
        Gauges gauges = new Gauges(sensor, tags, engines);
        gauges.add("cur-size-active-mem-table", "Bytes in the active memtables",
                e -> EngineFigures.sum(e, "lsm.memtable-bytes"));
        gauges.add("cur-size-all-mem-tables", "Bytes in the active and immutable memtables",
                e -> EngineFigures.sum(e, "lsm.approximate-memory-usage"));
        gauges.add("estimate-num-keys", "Estimated entries (every version and tombstone not yet compacted)",
                e -> EngineFigures.sum(e, "lsm.estimate-num-keys"));
        gauges.add("num-files-at-level0", "Table files in level 0",
                e -> EngineFigures.sum(e, "lsm.num-files-at-level0"));
        gauges.add("background-errors", "Engine stores stopped by a background error",
                EngineFigures::backgroundErrors);
        gauges.add("write-stall-duration-total", "Total duration of write stalls in ms",
                EngineFigures::stallMillis);
        gauges.add("block-cache-usage", "Bytes of blocks in the block cache",
                e -> EngineFigures.cache(e, sharedCache).usedBytes());
        gauges.add("block-cache-capacity", "Capacity of the block cache in bytes",
                e -> EngineFigures.cache(e, sharedCache).capacity());
        gauges.add("block-cache-data-hit-ratio", "Block reads served from the cache over all block reads, since "
                + "the cache was made (0 before any read)", e -> EngineFigures.cache(e, sharedCache).hitRatio());
        return new StoreMetrics(metrics, sensor);
    }

    /** Removes every gauge of the store. */
    void remove() {
        metrics.removeSensor(sensor);
    }

    /** Adds gauges under one sensor and one set of tags. */
    private record Gauges(Sensor sensor, Map<String, String> tags, Supplier<List<Db>> engines) {
        void add(String name, String description, ToDoubleFunction<List<Db>> figure) {
            sensor.add(new MetricName(name, GROUP, description, tags), new MeasurableStat() {
                @Override
                public void record(MetricConfig config, double ignored, long timeMs) {}

                @Override
                public double measure(MetricConfig config, long nowMs) {
                    return figure.applyAsDouble(engines.get());
                }
            });
        }
    }
}
