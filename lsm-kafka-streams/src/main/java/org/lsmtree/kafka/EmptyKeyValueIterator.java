package org.lsmtree.kafka;

import java.util.NoSuchElementException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/** An iterator without entries: what a range with {@code from > to} returns. Stateless. */
final class EmptyKeyValueIterator implements KeyValueIterator<Bytes, byte[]> {
    @Override
    public boolean hasNext() {
        return false;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        throw new NoSuchElementException("an empty range has no entries");
    }

    @Override
    public Bytes peekNextKey() {
        throw new NoSuchElementException("an empty range has no entries");
    }

    @Override
    public void close() {}
}
