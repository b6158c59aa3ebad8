package org.lsmtree.kafka;

import java.util.NoSuchElementException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A {@code KeyValueIterator} that reads one entry ahead, so that {@link #hasNext()} and
 * {@link #peekNextKey()} need no movement: subclasses say how to read the next entry and what to
 * release at close. Every call after {@link #close()} but {@code close} is an
 * {@link IllegalStateException}. Not thread-safe.
 */
abstract class LookaheadIterator implements KeyValueIterator<Bytes, byte[]> {
    private final String store;
    private KeyValue<Bytes, byte[]> next;
    private boolean started;
    private boolean closed;

    LookaheadIterator(String store) {
        this.store = store;
    }

    /** The entry after the last one returned, or null at the end. */
    abstract KeyValue<Bytes, byte[]> readNext();

    /** Releases what the iterator holds; called once. */
    abstract void release();

    @Override
    public final boolean hasNext() {
        checkOpen();
        return lookahead() != null;
    }

    @Override
    public final KeyValue<Bytes, byte[]> next() {
        KeyValue<Bytes, byte[]> current = peek();
        next = readNext();
        return current;
    }

    @Override
    public final Bytes peekNextKey() {
        return peek().key;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            next = null;
            release();
        }
    }

    private KeyValue<Bytes, byte[]> peek() {
        checkOpen();
        KeyValue<Bytes, byte[]> current = lookahead();
        if (current == null) {
            throw new NoSuchElementException("store " + store + ": the iterator is past its last entry");
        }
        return current;
    }

    private KeyValue<Bytes, byte[]> lookahead() {
        if (!started) {
            started = true;
            next = readNext();
        }
        return next;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store " + store + ": the iterator is closed");
        }
    }
}
