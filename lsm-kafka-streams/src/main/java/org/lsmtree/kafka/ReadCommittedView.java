package org.lsmtree.kafka;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A key-value store read without the writes it holds until its next commit: what
 * {@code READ_COMMITTED} interactive queries see. Thread-safe as the store is.
 */
final class ReadCommittedView implements ReadOnlyKeyValueStore<Bytes, byte[]> {
    private final LsmKeyValueStore store;

    ReadCommittedView(LsmKeyValueStore store) {
        this.store = store;
    }

    @Override
    public byte[] get(Bytes key) {
        return store.get(key, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return store.userRange(from, to, true, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return store.userRange(from, to, false, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return store.userRange(null, null, true, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return store.userRange(null, null, false, false);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return store.prefixScan(prefix, prefixKeySerializer, false);
    }

    /** The committed entries, as {@link LsmKeyValueStore#approximateNumEntries()} counts them. */
    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries(false);
    }
}
