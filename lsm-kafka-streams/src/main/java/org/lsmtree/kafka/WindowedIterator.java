package org.lsmtree.kafka;

import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;

/** Entries under binary window or session keys, their keys decoded into {@link Windowed} keys. */
final class WindowedIterator implements KeyValueIterator<Windowed<Bytes>, byte[]> {
    private final KeyValueIterator<Bytes, byte[]> entries;
    private final Function<byte[], Windowed<Bytes>> decode;

    WindowedIterator(KeyValueIterator<Bytes, byte[]> entries, Function<byte[], Windowed<Bytes>> decode) {
        this.entries = entries;
        this.decode = decode;
    }

    @Override
    public boolean hasNext() {
        return entries.hasNext();
    }

    @Override
    public KeyValue<Windowed<Bytes>, byte[]> next() {
        KeyValue<Bytes, byte[]> next = entries.next();
        return KeyValue.pair(decode.apply(next.key.get()), next.value);
    }

    @Override
    public Windowed<Bytes> peekNextKey() {
        return decode.apply(entries.peekNextKey().get());
    }

    @Override
    public void close() {
        entries.close();
    }
}
