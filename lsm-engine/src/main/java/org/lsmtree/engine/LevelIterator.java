package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.InternalKeyComparator;

/**
 * Iterates the files of one level above 0, which are sorted and do not overlap, as one
 * sequence: only the table under the current position is open for iteration, and the next one
 * is opened when the current one runs out. Making one opens no table: a table is opened when the
 * iterator is positioned into it (a seek finds it by a binary search over the level's largest
 * keys), and a seek that lands in the table already open keeps it. Keys and values are shown in
 * place as the table's iterator shows them ({@link #keyView}, {@link #valueView}).
 * Not thread-safe.
 */
final class LevelIterator implements InternalIterator {
    private final LevelFiles files;
    private final InternalKeyComparator comparator;
    private final TableCache tables;
    private final boolean verifyChecksums;
    private final boolean fillCache;
    private int index = -1;
    private InternalIterator current;

    LevelIterator(LevelFiles files, InternalKeyComparator comparator, TableCache tables, boolean verifyChecksums,
            boolean fillCache) {
        this.fillCache = fillCache;
        this.files = files;
        this.comparator = comparator;
        this.tables = tables;
        this.verifyChecksums = verifyChecksums;
    }

    @Override
    public boolean isValid() {
        return current != null && current.isValid();
    }

    @Override
    public void seekToFirst() throws IOException {
        open(0);
        if (current != null) {
            current.seekToFirst();
        }
        skipForward();
    }

    @Override
    public void seekToLast() throws IOException {
        open(files.size() - 1);
        if (current != null) {
            current.seekToLast();
        }
        skipBackward();
    }

    @Override
    public void seek(byte[] target) throws IOException {
        open(files.firstEndingAtOrAfter(target, comparator));
        if (current != null) {
            current.seek(target);
        }
        skipForward();
    }

    @Override
    public void next() throws IOException {
        checkState(isValid(), "next() on an invalid iterator");
        current.next();
        skipForward();
    }

    @Override
    public void prev() throws IOException {
        checkState(isValid(), "prev() on an invalid iterator");
        current.prev();
        skipBackward();
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
    public Slice keyView(Slice view) {
        checkState(isValid(), "keyView() on an invalid iterator");
        return current.keyView(view);
    }

    @Override
    public Slice valueView(Slice view) {
        checkState(isValid(), "valueView() on an invalid iterator");
        return current.valueView(view);
    }

    @Override
    public void close() throws IOException {
        open(-1);
    }

    /** While the current table is exhausted, moves to the start of the next one. */
    private void skipForward() throws IOException {
        while (current != null && !current.isValid()) {
            if (index + 1 >= files.size()) {
                open(-1);
                return;
            }
            open(index + 1);
            current.seekToFirst();
        }
    }

    /** While the current table is exhausted, moves to the end of the previous one. */
    private void skipBackward() throws IOException {
        while (current != null && !current.isValid()) {
            if (index - 1 < 0) {
                open(-1);
                return;
            }
            open(index - 1);
            current.seekToLast();
        }
    }

    /** Opens the iterator of file {@code i}, closing the current one; -1 or out of range closes only. */
    private void open(int i) throws IOException {
        if (i == index && current != null) {
            return;
        }
        if (current != null) {
            current.close();
            current = null;
        }
        index = i;
        if (i >= 0 && i < files.size()) {
            current = tables.get(files.file(i)).iterator(verifyChecksums, fillCache);
        } else {
            index = -1;
        }
    }
}
