package org.lsmtree.leveldb;

import static com.google.common.base.Preconditions.checkState;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import org.iq80.leveldb.DBIterator;
import org.lsmtree.engine.DbIterator;

/**
 * A LevelDB-API {@link DBIterator} over the engine's {@link DbIterator}. The API's iterator is a
 * cursor that stands <em>between</em> entries, as a {@link java.util.ListIterator} does:
 * {@link #next()} returns the entry after the cursor and moves past it, {@link #prev()} returns
 * the entry before it and moves back over it (so {@code next()} then {@code prev()} give the same
 * entry). {@link #seekToFirst()} and {@link #seek} put the cursor before the first entry at or
 * after their target, and {@link #seekToLast()} before the last entry (so {@code next()} returns
 * the last entry, as with LevelDB's JNI binding and C++ {@code SeekToLast}). A new iterator
 * stands before the first entry, as the pure-Java port's does.
 *
 * <p>The engine's iterator stands on an entry, so the cursor is kept as the engine iterator plus
 * a direction: going {@code forward}, the cursor is just before the engine's entry (at the end
 * when the engine iterator is invalid); going backward, just after it (before the first entry
 * when invalid). A change of direction moves the engine iterator by one entry.
 *
 * <p>The iterator sees one consistent state of the store (the snapshot of its read options, or
 * the store as it was when the iterator was made), whatever is written or compacted meanwhile, and
 * keeps the files it reads until {@link #close()}. Entries are copies the caller may keep.
 * {@link #remove()} is not supported. Not thread-safe.
 */
final class LsmDBIterator implements DBIterator {
    private final DbIterator entries;
    private final BooleanSupplier storeClosed;
    private boolean forward = true;
    private boolean closed;

    /** Takes ownership of {@code entries} and moves it to the first entry. */
    LsmDBIterator(DbIterator entries, BooleanSupplier storeClosed) {
        this.entries = entries;
        this.storeClosed = storeClosed;
        seekToFirst();
    }

    @Override
    public void seek(byte[] key) {
        DBExceptions.run("iterator seek", () -> entries.seek(key));
        forward = true;
    }

    @Override
    public void seekToFirst() {
        DBExceptions.run("iterator seekToFirst", () -> entries.seekToFirst());
        forward = true;
    }

    @Override
    public void seekToLast() {
        DBExceptions.run("iterator seekToLast", () -> entries.seekToLast());
        forward = true;
    }

    @Override
    public boolean hasNext() {
        checkOpen();
        turnForward();
        return entries.isValid();
    }

    @Override
    public Map.Entry<byte[], byte[]> peekNext() {
        turnForward();
        return current("peekNext()", "after");
    }

    @Override
    public Map.Entry<byte[], byte[]> next() {
        Map.Entry<byte[], byte[]> entry = peekNext();
        DBExceptions.run("iterator next", () -> entries.next());
        return entry;
    }

    @Override
    public boolean hasPrev() {
        checkOpen();
        turnBackward();
        return entries.isValid();
    }

    @Override
    public Map.Entry<byte[], byte[]> peekPrev() {
        turnBackward();
        return current("peekPrev()", "before");
    }

    @Override
    public Map.Entry<byte[], byte[]> prev() {
        Map.Entry<byte[], byte[]> entry = peekPrev();
        DBExceptions.run("iterator prev", () -> entries.prev());
        return entry;
    }

    /** Releases what the iterator holds; every later call but {@code close} is an {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        DBExceptions.run("iterator close", () -> entries.close());
    }

    /** The engine checks in every call that moves or reads; these checks cover {@code hasNext}/{@code hasPrev}. */
    private void checkOpen() {
        checkState(!closed, "iterator is closed");
        checkState(!storeClosed.getAsBoolean(), "the store of this iterator is closed");
    }

    private Map.Entry<byte[], byte[]> current(String call, String side) {
        if (!entries.isValid()) {
            throw new NoSuchElementException(call + ": no entry " + side + " the iterator's position");
        }
        return new SimpleImmutableEntry<>(entries.key(), entries.value());
    }

    /** Makes the engine iterator stand on the entry just after the cursor (invalid: at the end). */
    private void turnForward() {
        if (forward) {
            return;
        }
        DBExceptions.run("iterator next", () -> {
            if (entries.isValid()) {
                entries.next();
            } else {
                entries.seekToFirst(); // the cursor was before the first entry
            }
        });
        forward = true;
    }

    /** Makes the engine iterator stand on the entry just before the cursor (invalid: at the start). */
    private void turnBackward() {
        if (!forward) {
            return;
        }
        DBExceptions.run("iterator prev", () -> {
            if (entries.isValid()) {
                entries.prev();
            } else {
                entries.seekToLast(); // the cursor was at the end
            }
        });
        forward = false;
    }

    @Override
    public String toString() {
        return "DBIterator(" + (forward ? "forward" : "backward") + ")";
    }
}
