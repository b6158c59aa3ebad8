package org.lsmtree.kafka;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A {@link StateStoreContext} for driving one store by hand: a state directory, a processing
 * guarantee, settable record metadata, and the restore callback the store registered.
 */
final class TestStoreContext implements StateStoreContext {
    private final File stateDir;
    private final Map<String, Object> configs = new HashMap<>();
    private RecordMetadata metadata;
    StateRestoreCallback restoreCallback;
    StateStore registered;

    TestStoreContext(File stateDir, String processingGuarantee) {
        this.stateDir = stateDir;
        configs.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-app");
        configs.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    }

    /** Sets {@code enable.transactional.statestores} (KIP-892). */
    TestStoreContext withTransactionalStateStores() {
        configs.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        return this;
    }

    /** Sets the application config {@code key} to {@code value}. */
    TestStoreContext withConfig(String key, Object value) {
        configs.put(key, value);
        return this;
    }

    /** Sets the metadata of the record being processed, as the stream thread does. */
    void processing(String topic, int partition, long offset) {
        metadata = new RecordMetadata() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return offset;
            }
        };
    }

    @Override
    public String applicationId() {
        return "test-app";
    }

    @Override
    public TaskId taskId() {
        return new TaskId(0, 0);
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.ofNullable(metadata);
    }

    @Override
    public Serde<?> keySerde() {
        return Serdes.Bytes();
    }

    @Override
    public Serde<?> valueSerde() {
        return Serdes.ByteArray();
    }

    @Override
    public File stateDir() {
        return stateDir;
    }

    /** Metrics kept in a plain Kafka {@link Metrics} registry, read back by tests. */
    final Metrics registry = new Metrics();

    @Override
    public StreamsMetrics metrics() {
        return new StreamsMetrics() {
            @Override
            public Map<MetricName, ? extends Metric> metrics() {
                return registry.metrics();
            }

            @Override
            public Sensor addLatencyRateTotalSensor(String scope, String entity, String operation,
                    Sensor.RecordingLevel level, String... tags) {
                throw new UnsupportedOperationException("not used by the stores");
            }

            @Override
            public Sensor addRateTotalSensor(String scope, String entity, String operation,
                    Sensor.RecordingLevel level, String... tags) {
                throw new UnsupportedOperationException("not used by the stores");
            }

            @Override
            public Sensor addSensor(String name, Sensor.RecordingLevel level) {
                return registry.sensor(name, level);
            }

            @Override
            public Sensor addSensor(String name, Sensor.RecordingLevel level, Sensor... parents) {
                return registry.sensor(name, level, parents);
            }

            @Override
            public void removeSensor(Sensor sensor) {
                registry.removeSensor(sensor.name());
            }
        };
    }

    /** The value of the store gauge {@code name}, or null when it is not registered. */
    Object gauge(String name) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals(StoreMetrics.GROUP))
                .map(e -> e.getValue().metricValue()).findFirst().orElse(null);
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback) {
        register(store, callback, () -> {});
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback, CommitCallback commitCallback) {
        this.registered = store;
        this.restoreCallback = callback;
    }

    @Override
    public Map<String, Object> appConfigs() {
        return configs;
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        Map<String, Object> out = new HashMap<>();
        configs.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
