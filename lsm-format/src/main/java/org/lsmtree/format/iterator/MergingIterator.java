package org.lsmtree.format.iterator;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/**
 * Merges sorted children into one sorted sequence: the smallest current key first going
 * forward, the largest going backward. Entries with equal keys come out in children order going
 * forward (the first child's first) and in the reverse order going backward, so a caller that
 * lists newer sources first sees newer entries first, and a walk back retraces a walk forward.
 *
 * <p>Layout: one {@link Slice} per child shows its current key (refreshed after every move of
 * that child, through {@link InternalIterator#keyView}), and a binary heap of the valid children
 * is ordered by those keys, smallest on top going forward, largest going backward. A step moves
 * the top child and restores the heap: O(log n) comparisons, no allocation here (a child whose
 * {@code keyView} copies allocates its copy).
 *
 * <p>Invariant: going forward every valid child is positioned at or after the current entry in
 * the merged order, going backward at or before it. Switching direction repositions every child
 * but the current one (one seek each) and rebuilds the heap; a walk in one direction never does.
 * After a child fails while moving, the merged iterator is invalid until the next seek.
 *
 * <p>Not thread-safe. Closing closes every child.
 */
public final class MergingIterator implements InternalIterator {
    private final SliceComparator comparator;
    private final InternalIterator[] children;
    /** keys[i]: child i's current key, while it is valid. */
    private final Slice[] keys;
    /** The valid children, heap-ordered by {@link #before}; heap[0] is the current one. */
    private final int[] heap;
    private int size;
    private boolean forward = true;

    /**
     * Takes ownership of {@code children} (ordered newest source first). Keys are compared in
     * place when {@code comparator} is one of the store's orders ({@link SliceComparator#of}).
     */
    public MergingIterator(Comparator<byte[]> comparator, List<InternalIterator> children) {
        this.comparator = SliceComparator.of(comparator);
        this.children = children.toArray(new InternalIterator[0]);
        this.keys = new Slice[this.children.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Slice();
        }
        this.heap = new int[this.children.length];
    }

    @Override
    public boolean isValid() {
        return size > 0;
    }

    @Override
    public void seekToFirst() throws IOException {
        size = 0;
        for (InternalIterator child : children) {
            child.seekToFirst();
        }
        rebuild(true);
    }

    @Override
    public void seekToLast() throws IOException {
        size = 0;
        for (InternalIterator child : children) {
            child.seekToLast();
        }
        rebuild(false);
    }

    @Override
    public void seek(byte[] target) throws IOException {
        size = 0;
        for (InternalIterator child : children) {
            child.seek(target);
        }
        rebuild(true);
    }

    @Override
    public void next() throws IOException {
        checkState(isValid(), "next() on an invalid iterator");
        try {
            if (!forward) {
                turnForward();
            }
            stepTop(true);
        } catch (IOException | RuntimeException e) {
            size = 0;
            throw e;
        }
    }

    @Override
    public void prev() throws IOException {
        checkState(isValid(), "prev() on an invalid iterator");
        try {
            if (forward) {
                turnBackward();
            }
            stepTop(false);
        } catch (IOException | RuntimeException e) {
            size = 0;
            throw e;
        }
    }

    @Override
    public byte[] key() {
        checkState(isValid(), "key() on an invalid iterator");
        return children[heap[0]].key();
    }

    @Override
    public byte[] value() {
        checkState(isValid(), "value() on an invalid iterator");
        return children[heap[0]].value();
    }

    /** The current child's key, in place when that child shows it in place. */
    @Override
    public Slice keyView(Slice view) {
        checkState(isValid(), "keyView() on an invalid iterator");
        return view.set(keys[heap[0]]);
    }

    @Override
    public Slice valueView(Slice view) {
        checkState(isValid(), "valueView() on an invalid iterator");
        return children[heap[0]].valueView(view);
    }

    @Override
    public void close() throws IOException {
        size = 0;
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
        if (failure != null) {
            throw failure;
        }
    }

    /** Moves the current child one step and puts it back in its place in the heap. */
    private void stepTop(boolean ahead) throws IOException {
        int top = heap[0];
        if (ahead) {
            children[top].next();
        } else {
            children[top].prev();
        }
        if (children[top].isValid()) {
            children[top].keyView(keys[top]);
        } else {
            heap[0] = heap[--size];
        }
        siftDown(0);
    }

    /**
     * From backward to forward on entry (K, c): the entries after it are child c's next, the
     * other children's first entries after K, and entries equal to K in children after c.
     */
    private void turnForward() throws IOException {
        int current = heap[0];
        byte[] key = keys[current].toByteArray(); // the children's seeks take an array
        for (int i = 0; i < children.length; i++) {
            if (i != current) {
                InternalIterator child = children[i];
                child.seek(key);
                if (i < current && child.isValid() && comparator.compare(child.keyView(keys[i]), key) == 0) {
                    child.next();
                }
            }
        }
        rebuildAround(current, true);
    }

    /**
     * From forward to backward on entry (K, c): the entries before it are child c's previous, the
     * other children's last entries before K, and entries equal to K in children before c.
     */
    private void turnBackward() throws IOException {
        int current = heap[0];
        byte[] key = keys[current].toByteArray();
        for (int i = 0; i < children.length; i++) {
            if (i != current) {
                InternalIterator child = children[i];
                child.seek(key);
                if (!child.isValid()) {
                    child.seekToLast();
                } else if (i > current || comparator.compare(child.keyView(keys[i]), key) != 0) {
                    child.prev();
                }
            }
        }
        rebuildAround(current, false);
    }

    /** Rebuilds the heap in {@code direction} with {@code current} on top (its key is unchanged). */
    private void rebuildAround(int current, boolean ahead) {
        rebuild(ahead);
        assert size > 0 && heap[0] == current : "the current child is no longer first after turning";
    }

    /** Refreshes every valid child's key and heapifies them for {@code ahead}. */
    private void rebuild(boolean ahead) {
        forward = ahead;
        size = 0;
        for (int i = 0; i < children.length; i++) {
            if (children[i].isValid()) {
                children[i].keyView(keys[i]);
                heap[size++] = i;
            }
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void siftDown(int at) {
        int child = heap[at];
        while (true) {
            int first = 2 * at + 1;
            if (first >= size) {
                break;
            }
            int second = first + 1;
            int pick = second < size && before(heap[second], heap[first]) ? second : first;
            if (!before(heap[pick], child)) {
                break;
            }
            heap[at] = heap[pick];
            at = pick;
        }
        heap[at] = child;
    }

    /** Whether child {@code a}'s entry comes before child {@code b}'s in the current direction. */
    private boolean before(int a, int b) {
        int order = comparator.compare(keys[a], keys[b]);
        if (forward) {
            return order < 0 || order == 0 && a < b;
        }
        return order > 0 || order == 0 && a > b;
    }
}
