package org.lsmtree.format.iterator;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.util.Map;
import java.util.NavigableMap;

/**
 * An {@link InternalIterator} over a {@link NavigableMap} ordered by its own comparator: a
 * concurrent skip list map, or a sorted map a test uses as a model. Each step is one map lookup (higher, lower,
 * ceiling), so a concurrent map may change underneath: the iterator then sees some of the
 * changes, never a broken order. Keys and values are returned as stored; the map's owner must
 * not change them.
 *
 * <p>Not thread-safe.
 */
public final class NavigableMapIterator implements InternalIterator {
    private final NavigableMap<byte[], byte[]> map;
    private Map.Entry<byte[], byte[]> current;

    public NavigableMapIterator(NavigableMap<byte[], byte[]> map) {
        this.map = checkNotNull(map, "map");
    }

    @Override
    public boolean isValid() {
        return current != null;
    }

    @Override
    public void seekToFirst() {
        current = map.firstEntry();
    }

    @Override
    public void seekToLast() {
        current = map.lastEntry();
    }

    @Override
    public void seek(byte[] target) {
        current = map.ceilingEntry(target);
    }

    @Override
    public void next() {
        checkState(isValid(), "next() on an invalid iterator");
        current = map.higherEntry(current.getKey());
    }

    @Override
    public void prev() {
        checkState(isValid(), "prev() on an invalid iterator");
        current = map.lowerEntry(current.getKey());
    }

    @Override
    public byte[] key() {
        checkState(isValid(), "key() on an invalid iterator");
        return current.getKey();
    }

    @Override
    public byte[] value() {
        checkState(isValid(), "value() on an invalid iterator");
        return current.getValue();
    }

    /** The stored key itself, no copy. */
    @Override
    public Slice keyView(Slice view) {
        checkState(isValid(), "keyView() on an invalid iterator");
        return view.set(current.getKey());
    }

    /** The stored value itself, no copy. */
    @Override
    public Slice valueView(Slice view) {
        checkState(isValid(), "valueView() on an invalid iterator");
        return view.set(current.getValue());
    }

    @Override
    public void close() {
        current = null;
    }
}
