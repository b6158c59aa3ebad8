package org.lsmtree.sstable;

import java.util.Arrays;
import java.util.Comparator;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Varint;
import org.lsmtree.format.iterator.InternalIterator;

/**
 * Iterates the entries of one {@link Block}: forward, backward, and seeking by binary search over
 * the restart points and then a linear scan from the restart found.
 *
 * <p>Going backward re-decodes from the last restart before the current entry, as LevelDB does:
 * {@code prev()} costs up to one restart interval of decoding.
 *
 * <p>{@link #key()} and {@link #value()} return fresh arrays the caller keeps. A malformed entry
 * met while moving is a {@link CorruptionException} located at the block's offset in its file;
 * the iterator is then invalid. Not thread-safe.
 */
final class BlockIterator implements InternalIterator {
    private static final byte[] EMPTY = new byte[0];

    private final Block block;
    private final byte[] data;
    private final Comparator<byte[]> comparator;
    private final int limit;
    /** Offset of the current entry; {@code limit} when invalid. */
    private int current;
    /** Index of the restart at or before {@code current}. */
    private int restartIndex;
    private int nextOffset;
    private byte[] key = EMPTY;
    private int valueOffset;
    private int valueLength;

    BlockIterator(Block block, Comparator<byte[]> comparator) {
        this.block = block;
        this.data = block.contents();
        this.comparator = comparator;
        this.limit = block.restartOffset();
        this.current = limit;
        this.restartIndex = block.restartCount();
    }

    @Override
    public boolean isValid() {
        return current < limit;
    }

    @Override
    public void seekToFirst() throws CorruptionException {
        if (block.restartCount() == 0) {
            invalidate();
            return;
        }
        seekToRestart(0);
        parseNext();
    }

    @Override
    public void seekToLast() throws CorruptionException {
        if (block.restartCount() == 0) {
            invalidate();
            return;
        }
        seekToRestart(block.restartCount() - 1);
        while (parseNext() && nextOffset < limit) {
            // keep going to the last entry
        }
    }

    @Override
    public void seek(byte[] target) throws CorruptionException {
        if (block.restartCount() == 0) {
            invalidate();
            return;
        }
        int left = 0;
        int right = block.restartCount() - 1;
        while (left < right) {
            int mid = (left + right + 1) >>> 1;
            if (comparator.compare(restartKey(mid), target) < 0) {
                left = mid;
            } else {
                right = mid - 1;
            }
        }
        seekToRestart(left);
        while (parseNext()) {
            if (comparator.compare(key, target) >= 0) {
                return;
            }
        }
    }

    @Override
    public void next() throws CorruptionException {
        checkValid();
        parseNext();
    }

    @Override
    public void prev() throws CorruptionException {
        checkValid();
        int original = current;
        while (block.restart(restartIndex) >= original) {
            if (restartIndex == 0) {
                invalidate();
                return;
            }
            restartIndex--;
        }
        seekToRestart(restartIndex);
        while (parseNext() && nextOffset < original) {
            // stop on the entry just before the original one
        }
    }

    @Override
    public byte[] key() {
        checkValid();
        return key.clone();
    }

    @Override
    public byte[] value() {
        checkValid();
        return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
    }

    /**
     * The current key without a copy. The caller must not change it; it may keep it, since each
     * move decodes into a new array.
     */
    byte[] keyView() {
        return key;
    }

    /** The offset of the current entry inside the block, for messages. REQUIRES: {@link #isValid()}. */
    int entryOffset() {
        checkValid();
        return current;
    }

    /**
     * The key of the entry before the current one (not a copy, as {@link #keyView()}), or null at
     * the first entry. Leaves the iterator where it is; costs what {@link #prev()} costs (for an
     * index block, with a restart at every entry, one entry decoded). REQUIRES: {@link #isValid()}.
     */
    byte[] previousKey() throws CorruptionException {
        checkValid();
        int savedCurrent = current;
        int savedRestartIndex = restartIndex;
        int savedNextOffset = nextOffset;
        byte[] savedKey = key;
        int savedValueOffset = valueOffset;
        int savedValueLength = valueLength;
        prev();
        byte[] previous = isValid() ? key : null;
        current = savedCurrent;
        restartIndex = savedRestartIndex;
        nextOffset = savedNextOffset;
        key = savedKey;
        valueOffset = savedValueOffset;
        valueLength = savedValueLength;
        return previous;
    }

    @Override
    public void close() {
        invalidate();
    }

    private void checkValid() {
        if (!isValid()) {
            throw new IllegalStateException("iterator is not positioned on an entry");
        }
    }

    private void invalidate() {
        current = limit;
        restartIndex = block.restartCount();
        key = EMPTY;
    }

    private void seekToRestart(int index) {
        restartIndex = index;
        nextOffset = block.restart(index);
        key = EMPTY;
    }

    /** The whole key stored at restart {@code index}; a restart entry must share nothing. */
    private byte[] restartKey(int index) throws CorruptionException {
        int start = block.restart(index);
        try {
            int at = start;
            int shared = Varint.getVarint32(data, at, limit);
            at += Varint.lengthAt(data, at, limit);
            long unshared = Varint.getVarint32(data, at, limit) & 0xffffffffL;
            at += Varint.lengthAt(data, at, limit);
            at += Varint.lengthAt(data, at, limit);
            if (shared != 0 || unshared > limit - at) {
                throw block.corruption("restart entry at byte " + start + " shares " + (shared & 0xffffffffL)
                        + " key bytes or has a key of " + unshared + " bytes past the entries");
            }
            return Arrays.copyOfRange(data, at, at + (int) unshared);
        } catch (CorruptionException e) {
            throw located(e, start);
        }
    }

    private CorruptionException located(CorruptionException e, int entryOffset) {
        invalidate();
        return e.reason().startsWith("block at ")
                ? e
                : block.corruption("entry at byte " + entryOffset + ": " + e.reason());
    }

    /** Decodes the entry at {@code nextOffset}; false (and invalid) at the end of the entries. */
    private boolean parseNext() throws CorruptionException {
        current = nextOffset;
        if (current >= limit) {
            invalidate();
            return false;
        }
        try {
            int at = current;
            long shared = Varint.getVarint32(data, at, limit) & 0xffffffffL;
            at += Varint.lengthAt(data, at, limit);
            long unshared = Varint.getVarint32(data, at, limit) & 0xffffffffL;
            at += Varint.lengthAt(data, at, limit);
            long length = Varint.getVarint32(data, at, limit) & 0xffffffffL;
            at += Varint.lengthAt(data, at, limit);
            if (shared > key.length || unshared + length > limit - at) {
                throw block.corruption("entry at byte " + current + " (shared " + shared + ", unshared " + unshared
                        + ", value " + length + ") does not fit after a key of " + key.length + " bytes");
            }
            byte[] next = Arrays.copyOf(key, (int) (shared + unshared));
            System.arraycopy(data, at, next, (int) shared, (int) unshared);
            key = next;
            valueOffset = at + (int) unshared;
            valueLength = (int) length;
            nextOffset = valueOffset + valueLength;
            while (restartIndex + 1 < block.restartCount() && block.restart(restartIndex + 1) <= current) {
                restartIndex++;
            }
            return true;
        } catch (CorruptionException e) {
            throw located(e, current);
        }
    }
}
