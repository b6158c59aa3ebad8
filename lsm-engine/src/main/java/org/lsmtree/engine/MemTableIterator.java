package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.util.Arrays;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.InternalKey;

/**
 * An {@link InternalIterator} over a {@link MemTable}'s {@link ArenaSkipList}: {@link #next()} is
 * one link followed (O(1)); {@link #prev()}, {@link #seek} and {@link #seekToLast()} are searches
 * from the top (O(log n)), as in LevelDB, since nodes have no backward links. It sees entries
 * added while it runs where it passes them, never a broken order.
 *
 * <p>{@link #key()} and {@link #value()} copy the entry's bytes out of the arena the first time
 * they are asked for at a position and return that same array until the iterator moves;
 * {@link #keyView} and {@link #valueView} show them in the arena, without a copy.
 *
 * <p>Not thread-safe (one iterator, one thread), but any number of them may run while the
 * memtable's writer adds entries.
 */
final class MemTableIterator implements InternalIterator {
    private final ArenaSkipList list;
    private long node;
    private byte[] key;
    private byte[] value;

    MemTableIterator(ArenaSkipList list) {
        this.list = list;
    }

    @Override
    public boolean isValid() {
        return node != 0;
    }

    @Override
    public void seekToFirst() {
        moveTo(list.next(0, 0));
    }

    @Override
    public void seekToLast() {
        moveTo(list.findLast());
    }

    @Override
    public void seek(byte[] target) {
        checkArgument(target.length >= InternalKey.TRAILER_SIZE,
                "a seek target of %s bytes is no internal key", target.length);
        int userLength = target.length - InternalKey.TRAILER_SIZE;
        moveTo(list.findGreaterOrEqual(target, 0, userLength, InternalKey.trailerOf(target), null));
    }

    @Override
    public void next() {
        checkState(isValid(), "next() on an invalid iterator");
        moveTo(list.next(node, 0));
    }

    @Override
    public void prev() {
        checkState(isValid(), "prev() on an invalid iterator");
        byte[] chunk = list.chunk(node);
        int userLength = ArenaSkipList.keyLength(chunk, node) - InternalKey.TRAILER_SIZE;
        moveTo(list.findLessThan(chunk, ArenaSkipList.keyOffset(node), userLength,
                ArenaSkipList.trailer(chunk, node)));
    }

    @Override
    public byte[] key() {
        checkState(isValid(), "key() on an invalid iterator");
        if (key == null) {
            byte[] chunk = list.chunk(node);
            int start = ArenaSkipList.keyOffset(node);
            key = Arrays.copyOfRange(chunk, start, start + ArenaSkipList.keyLength(chunk, node));
        }
        return key;
    }

    @Override
    public byte[] value() {
        checkState(isValid(), "value() on an invalid iterator");
        if (value == null) {
            byte[] chunk = list.chunk(node);
            int start = ArenaSkipList.keyOffset(node) + ArenaSkipList.keyLength(chunk, node);
            value = Arrays.copyOfRange(chunk, start, start + ArenaSkipList.valueLength(chunk, node));
        }
        return value;
    }

    @Override
    public Slice keyView(Slice view) {
        checkState(isValid(), "keyView() on an invalid iterator");
        byte[] chunk = list.chunk(node);
        return view.set(chunk, ArenaSkipList.keyOffset(node), ArenaSkipList.keyLength(chunk, node));
    }

    @Override
    public Slice valueView(Slice view) {
        checkState(isValid(), "valueView() on an invalid iterator");
        byte[] chunk = list.chunk(node);
        int start = ArenaSkipList.keyOffset(node) + ArenaSkipList.keyLength(chunk, node);
        return view.set(chunk, start, ArenaSkipList.valueLength(chunk, node));
    }

    /** The sequence of the current entry, read in place. Requires {@link #isValid()}. */
    long sequence() {
        checkState(isValid(), "sequence() on an invalid iterator");
        return ArenaSkipList.trailer(list.chunk(node), node) >>> 8;
    }

    @Override
    public void close() {
        moveTo(0);
    }

    private void moveTo(long target) {
        node = target;
        key = null;
        value = null;
    }
}
