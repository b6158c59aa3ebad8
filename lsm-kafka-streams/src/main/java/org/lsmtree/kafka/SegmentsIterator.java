package org.lsmtree.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.ReadOptions;

/**
 * The entries of one key range in several segments, segment after segment (oldest first going
 * forward, newest first going backward), each segment in key order, keeping those whose binary
 * key passes a filter: the order in which Kafka Streams' own segmented stores answer, which its
 * caching layer merges with. One segment is open at a time. Not thread-safe.
 */
final class SegmentsIterator extends LookaheadIterator {
    private final Iterator<Db> segments;
    private final EngineRange range;
    private final boolean forward;
    private final Predicate<byte[]> keep;
    private final String store;
    private LsmKeyValueIterator current;

    SegmentsIterator(List<Db> segments, EngineRange range, boolean forward, Predicate<byte[]> keep, String store) {
        super(store);
        List<Db> ordered = new ArrayList<>(segments);
        if (!forward) {
            Collections.reverse(ordered);
        }
        this.segments = ordered.iterator();
        this.range = range;
        this.forward = forward;
        this.keep = keep;
        this.store = store;
    }

    @Override
    KeyValue<Bytes, byte[]> readNext() {
        while (true) {
            if (current != null) {
                while (current.hasNext()) {
                    KeyValue<Bytes, byte[]> candidate = current.next();
                    if (keep.test(candidate.key.get())) {
                        return candidate;
                    }
                }
                current.close();
                current = null;
            }
            if (!segments.hasNext()) {
                return null;
            }
            Db segment = segments.next();
            try {
                current = new LsmKeyValueIterator(segment.iterator(ReadOptions.defaults()), range, forward, store, () -> {});
            } catch (IOException e) {
                throw new ProcessorStateException("store " + store + ": reading a segment failed", e);
            } catch (IllegalStateException e) {
                throw new InvalidStateStoreException("store " + store + ": a segment was closed during the read", e);
            }
        }
    }

    @Override
    void release() {
        if (current != null) {
            current.close();
        }
    }
}
