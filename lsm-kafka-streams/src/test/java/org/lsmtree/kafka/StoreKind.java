package org.lsmtree.kafka;

import java.io.File;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The stores every behaviour test runs against: ours (both write modes) and the RocksDB store of Kafka Streams. */
enum StoreKind {
    LSM {
        @Override
        KeyValueBytesStoreSupplier supplier(String name) {
            return LsmStores.persistentKeyValueStore(name);
        }
    },
    /**
     * Ours under exactly-once with transactional state stores: writes since the last commit are
     * held in memory and merged into reads.
     */
    LSM_EXACTLY_ONCE {
        @Override
        KeyValueBytesStoreSupplier supplier(String name) {
            return LsmStores.persistentKeyValueStore(name);
        }

        @Override
        String guarantee() {
            return StreamsConfig.EXACTLY_ONCE_V2;
        }
    },
    ROCKSDB {
        @Override
        KeyValueBytesStoreSupplier supplier(String name) {
            return Stores.persistentKeyValueStore(name);
        }
    };

    abstract KeyValueBytesStoreSupplier supplier(String name);

    String guarantee() {
        return StreamsConfig.AT_LEAST_ONCE;
    }

    /** A store of this kind, initialised in {@code stateDir} as a task would; the caller closes it. */
    KeyValueStore<Bytes, byte[]> open(String name, File stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "behaviour");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.getAbsolutePath());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.BytesSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee());
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        MockProcessorContext<Object, Object> processorContext = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir);
        StateStoreContext context = processorContext.getStateStoreContext();
        KeyValueStore<Bytes, byte[]> store = supplier(name).get();
        store.init(context, store);
        return store;
    }
}
