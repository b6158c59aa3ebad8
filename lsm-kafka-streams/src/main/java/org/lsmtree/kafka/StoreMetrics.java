package org.lsmtree.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.lsmtree.engine.Db;

/**
 * The gauges one store registers with Kafka Streams, in the group and with the tags the RocksDB
 * store uses ({@code stream-state-metrics}; {@code thread-id}, {@code task-id}, and
 * {@code lsm-state-id} for RocksDB's {@code rocksdb-state-id}), through the public
 * {@link StreamsMetrics} API: a sensor holding gauges that are read when metrics are read.
 *
 * <p>One gauge so far, {@code cur-size-active-mem-table}: bytes in the store's active memtables
 * (the engine's {@code lsm.memtable-bytes}, summed over segments). Kafka Streams' own metered
 * layer already reports {@code uncommitted-bytes} from
 * {@link LsmKeyValueStore#approximateNumUncommittedBytes()} under the same tags. The engine has no
 * block cache, level-0 count, stall time or background-error figure to report yet. Thread-safety: registered and removed by the stream thread; gauges are read by any thread.
 */
final class StoreMetrics {
    static final String GROUP = "stream-state-metrics";

    private final StreamsMetrics metrics;
    private final Sensor sensor;

    private StoreMetrics(StreamsMetrics metrics, Sensor sensor) {
        this.metrics = metrics;
        this.sensor = sensor;
    }

    /** Registers the gauges of store {@code store}; call on the stream thread, from {@code init}. */
    static StoreMetrics register(StateStoreContext context, String store, LongSupplier memtableBytes) {
        StreamsMetrics metrics = context.metrics();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("thread-id", Thread.currentThread().getName());
        tags.put("task-id", context.taskId().toString());
        tags.put("lsm-state-id", store);
        Sensor sensor = metrics.addSensor("lsm." + context.taskId() + "." + store + ".gauges",
                Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName("cur-size-active-mem-table", GROUP,
                "Bytes in the active memtables of the store", tags), gauge(memtableBytes));
        return new StoreMetrics(metrics, sensor);
    }

    /** The active memtable bytes of {@code db}, or 0 when it is closed or cannot say. */
    static long memtableBytes(Db db) {
        try {
            String value = db == null ? null : db.property("lsm.memtable-bytes");
            return value == null ? 0 : Long.parseLong(value);
        } catch (IllegalStateException closed) {
            return 0;
        }
    }

    void remove() {
        metrics.removeSensor(sensor);
    }

    private static MeasurableStat gauge(LongSupplier value) {
        return new MeasurableStat() {
            @Override
            public void record(MetricConfig config, double ignored, long timeMs) {}

            @Override
            public double measure(MetricConfig config, long nowMs) {
                return value.getAsLong();
            }
        };
    }
}
