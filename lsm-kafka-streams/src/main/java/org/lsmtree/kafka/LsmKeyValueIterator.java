package org.lsmtree.kafka;

import java.io.IOException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.lsmtree.engine.DbIterator;

/**
 * The user entries of one {@link EngineRange}, ascending or descending, over an engine iterator
 * that sees one consistent state of the store (the state when the iterator was made). Closing
 * releases the engine iterator and tells the owning store (which closes every iterator still
 * open when it closes). Not thread-safe: one thread at a time, as Kafka Streams uses iterators.
 */
final class LsmKeyValueIterator extends LookaheadIterator {
    private final DbIterator entries;
    private final EngineRange range;
    private final boolean forward;
    private final String store;
    private final Runnable onClose;
    private boolean positioned;

    LsmKeyValueIterator(DbIterator entries, EngineRange range, boolean forward, String store, Runnable onClose) {
        super(store);
        this.entries = entries;
        this.range = range;
        this.forward = forward;
        this.store = store;
        this.onClose = onClose;
    }

    @Override
    KeyValue<Bytes, byte[]> readNext() {
        try {
            if (!positioned) {
                positioned = true;
                position();
            } else if (forward) {
                entries.next();
            } else {
                entries.prev();
            }
        } catch (IOException e) {
            throw failure(e);
        }
        if (!entries.isValid()) {
            return null;
        }
        byte[] key = entries.key();
        boolean inside = forward ? range.belowUpper(key) : range.aboveLower(key);
        return inside ? KeyValue.pair(Bytes.wrap(StoreKeys.userKey(key)), entries.value()) : null;
    }

    private void position() throws IOException {
        if (forward) {
            entries.seek(range.lower());
        } else {
            entries.seek(range.upper());
            if (!entries.isValid()) {
                entries.seekToLast();
            } else if (!range.belowUpper(entries.key())) {
                entries.prev();
            }
        }
    }

    @Override
    void release() {
        try {
            entries.close();
        } catch (IOException e) {
            throw failure(e);
        } finally {
            onClose.run();
        }
    }

    private ProcessorStateException failure(IOException e) {
        return new ProcessorStateException("store " + store + ": iterating failed", e);
    }
}
