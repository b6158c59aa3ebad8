package org.lsmtree.format.iterator;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/**
 * Merges sorted children into one sorted sequence: the smallest current key first going
 * forward, the largest going backward. Entries with equal keys come out in children order (the
 * first child's first), so a caller that lists newer sources first sees newer entries first.
 *
 * <p>Invariant: going forward every valid child is positioned at or after the current key, going
 * backward at or before it; switching direction repositions every child but the current one.
 * A linear scan over the children picks the next entry: the engine merges a handful of sources
 * (memtables, level-0 tables, one iterator per deeper level).
 *
 * <p>Not thread-safe. Closing closes every child.
 */
public final class MergingIterator implements InternalIterator {
    private final Comparator<byte[]> comparator;
    private final List<InternalIterator> children;
    private InternalIterator current;
    private boolean forward = true;

    /** Takes ownership of {@code children} (ordered newest source first). */
    public MergingIterator(Comparator<byte[]> comparator, List<InternalIterator> children) {
        this.comparator = comparator;
        this.children = List.copyOf(children);
    }

    @Override
    public boolean isValid() {
        return current != null;
    }

    @Override
    public void seekToFirst() throws IOException {
        for (InternalIterator child : children) {
            child.seekToFirst();
        }
        forward = true;
        findSmallest();
    }

    @Override
    public void seekToLast() throws IOException {
        for (InternalIterator child : children) {
            child.seekToLast();
        }
        forward = false;
        findLargest();
    }

    @Override
    public void seek(byte[] target) throws IOException {
        for (InternalIterator child : children) {
            child.seek(target);
        }
        forward = true;
        findSmallest();
    }

    @Override
    public void next() throws IOException {
        checkState(isValid(), "next() on an invalid iterator");
        if (!forward) {
            // Every other child sits before the current key: move each to the first entry after it.
            byte[] key = current.key();
            for (InternalIterator child : children) {
                if (child != current) {
                    child.seek(key);
                    if (child.isValid() && comparator.compare(key, child.key()) == 0) {
                        child.next();
                    }
                }
            }
            forward = true;
        }
        current.next();
        findSmallest();
    }

    @Override
    public void prev() throws IOException {
        checkState(isValid(), "prev() on an invalid iterator");
        if (forward) {
            // Every other child sits after the current key: move each to the last entry before it.
            byte[] key = current.key();
            for (InternalIterator child : children) {
                if (child != current) {
                    child.seek(key);
                    if (child.isValid()) {
                        child.prev();
                    } else {
                        child.seekToLast();
                    }
                }
            }
            forward = false;
        }
        current.prev();
        findLargest();
    }

    @Override
    public byte[] key() {
        checkState(isValid(), "key() on an invalid iterator");
        return current.key();
    }

    @Override
    public byte[] value() {
        checkState(isValid(), "value() on an invalid iterator");
        return current.value();
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (InternalIterator child : children) {
            try {
                child.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        current = null;
        if (failure != null) {
            throw failure;
        }
    }

    private void findSmallest() {
        InternalIterator smallest = null;
        for (InternalIterator child : children) {
            if (child.isValid() && (smallest == null || comparator.compare(child.key(), smallest.key()) < 0)) {
                smallest = child;
            }
        }
        current = smallest;
    }

    private void findLargest() {
        InternalIterator largest = null;
        for (int i = children.size() - 1; i >= 0; i--) {
            InternalIterator child = children.get(i);
            if (child.isValid() && (largest == null || comparator.compare(child.key(), largest.key()) > 0)) {
                largest = child;
            }
        }
        current = largest;
    }
}
