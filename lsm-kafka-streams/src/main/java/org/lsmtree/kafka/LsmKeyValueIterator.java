package org.lsmtree.kafka;

import java.io.IOException;
import java.util.NoSuchElementException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.lsmtree.engine.DbIterator;

/**
 * The user entries of one {@link EngineRange}, ascending or descending, over an engine iterator
 * that sees one consistent state of the store (the state when the iterator was made).
 *
 * <p>One entry is read ahead so that {@link #hasNext()} and {@link #peekNextKey()} need no
 * movement. Closing releases the engine iterator and tells the owning store (which closes every
 * iterator still open when it closes). Not thread-safe: one thread at a time, as Kafka Streams
 * uses iterators.
 */
final class LsmKeyValueIterator implements KeyValueIterator<Bytes, byte[]> {
    private final DbIterator entries;
    private final EngineRange range;
    private final boolean forward;
    private final String store;
    private final Runnable onClose;
    private KeyValue<Bytes, byte[]> next;
    private boolean closed;

    LsmKeyValueIterator(DbIterator entries, EngineRange range, boolean forward, String store, Runnable onClose) {
        this.entries = entries;
        this.range = range;
        this.forward = forward;
        this.store = store;
        this.onClose = onClose;
        try {
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
            readAhead();
        } catch (IOException | RuntimeException e) {
            close();
            throw failure(e);
        }
    }

    @Override
    public boolean hasNext() {
        checkOpen();
        return next != null;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        checkOpen();
        if (next == null) {
            throw new NoSuchElementException("store " + store + ": the iterator is past its last entry");
        }
        KeyValue<Bytes, byte[]> current = next;
        try {
            if (forward) {
                entries.next();
            } else {
                entries.prev();
            }
            readAhead();
        } catch (IOException e) {
            throw failure(e);
        }
        return current;
    }

    @Override
    public Bytes peekNextKey() {
        checkOpen();
        if (next == null) {
            throw new NoSuchElementException("store " + store + ": the iterator is past its last entry");
        }
        return next.key;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        next = null;
        try {
            entries.close();
        } catch (IOException e) {
            throw failure(e);
        } finally {
            onClose.run();
        }
    }

    private void readAhead() {
        next = null;
        if (!entries.isValid()) {
            return;
        }
        byte[] key = entries.key();
        boolean inside = forward ? range.belowUpper(key) : range.aboveLower(key);
        if (inside) {
            next = KeyValue.pair(Bytes.wrap(StoreKeys.userKey(key)), entries.value());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store " + store + ": the iterator is closed");
        }
    }

    private ProcessorStateException failure(Exception e) {
        return e instanceof ProcessorStateException p ? p
                : new ProcessorStateException("store " + store + ": iterating failed", e);
    }
}
