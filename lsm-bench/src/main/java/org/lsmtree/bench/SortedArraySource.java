package org.lsmtree.bench;

import java.util.Arrays;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;

/**
 * An in-memory sorted source for the iterator benchmarks: entries in arrays, walked by index,
 * shown in place ({@link #keyView}, {@link #valueView}), so that what a benchmark over it measures
 * is the iterators stacked on top. Keys must be sorted by unsigned bytes and distinct. Not
 * thread-safe.
 */
final class SortedArraySource implements InternalIterator {
    private final byte[][] keys;
    private final byte[][] values;
    private int at;

    SortedArraySource(byte[][] keys, byte[][] values) {
        this.keys = keys;
        this.values = values;
        this.at = keys.length;
    }

    @Override
    public boolean isValid() {
        return at >= 0 && at < keys.length;
    }

    @Override
    public void seekToFirst() {
        at = 0;
    }

    @Override
    public void seekToLast() {
        at = keys.length - 1;
    }

    @Override
    public void seek(byte[] target) {
        int found = Arrays.binarySearch(keys, target, Arrays::compareUnsigned);
        at = found >= 0 ? found : -found - 1;
    }

    @Override
    public void next() {
        at++;
    }

    @Override
    public void prev() {
        at--;
    }

    @Override
    public byte[] key() {
        return keys[at].clone();
    }

    @Override
    public byte[] value() {
        return values[at].clone();
    }

    @Override
    public Slice keyView(Slice view) {
        return view.set(keys[at]);
    }

    @Override
    public Slice valueView(Slice view) {
        return view.set(values[at]);
    }

    @Override
    public void close() {
        at = keys.length;
    }
}
