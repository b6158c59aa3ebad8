package org.lsmtree.kafka;

import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.lsmtree.engine.Options;

/**
 * The key-value store whose values carry their record timestamp in front (the timestamped
 * format): the same store, marked so that Kafka Streams stores and restores timestamps as they
 * are instead of adapting a plain store.
 */
final class LsmTimestampedKeyValueStore extends LsmKeyValueStore implements TimestampedBytesStore {
    LsmTimestampedKeyValueStore(String name, Options options) {
        super(name, options);
    }
}
