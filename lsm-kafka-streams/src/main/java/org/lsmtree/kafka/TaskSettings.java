package org.lsmtree.kafka;

import java.nio.file.Path;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStoreContext;

/** What a store reads from the task it belongs to: where it lives and how commits work. Stateless. */
final class TaskSettings {
    private TaskSettings() {}

    /** Where the store named {@code name} of the task of {@code context} lives. */
    static Path storeDirectory(StateStoreContext context, String name) {
        return context.stateDir().toPath().resolve("lsm").resolve(name);
    }

    static boolean exactlyOnce(StateStoreContext context) {
        return StreamsConfig.EXACTLY_ONCE_V2.equals(context.appConfigs().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    }

    /**
     * Whether Kafka Streams commits stores at every commit under exactly-once
     * ({@code enable.transactional.statestores}, KIP-892); without it, it commits them only when a
     * task closes or suspends, and holding writes until then would not be bounded.
     */
    static boolean transactionalStateStores(StateStoreContext context) {
        Object value = context.appConfigs().get(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG);
        return value != null && Boolean.parseBoolean(value.toString());
    }
}
