package org.lsmtree.kafka;

import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.lsmtree.engine.Options;

/** The window store in the timestamped format (values carry their timestamp in front). */
final class LsmTimestampedWindowStore extends LsmWindowStore implements TimestampedBytesStore {
    LsmTimestampedWindowStore(String name, Options options, long retention, long segmentInterval, long windowSize,
            boolean retainDuplicates) {
        super(name, options, retention, segmentInterval, windowSize, retainDuplicates);
    }
}
