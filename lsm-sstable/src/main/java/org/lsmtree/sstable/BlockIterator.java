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
 * <p>Nothing is allocated while moving: the binary search compares each restart key where it
 * lies in the block ({@link KeyOrder}), and the current key is decoded into a buffer the iterator
 * reuses (grown when a longer key comes), which the scan compares in place. {@link #key()} and
 * {@link #value()} return fresh copies the caller keeps; {@link #keyBuffer()} is the buffer
 * itself, valid until the next move. One iterator can be moved to another block with
 * {@link #reset}, keeping its buffer.
 *
 * <p>Going backward re-decodes from the last restart before the current entry, as LevelDB does:
 * {@code prev()} costs up to one restart interval of decoding.
 *
 * <p>A malformed entry met while moving is a {@link CorruptionException} located at the block's
 * offset in its file; the iterator is then invalid. Not thread-safe.
 */
final class BlockIterator implements InternalIterator {
    private Block block;
    private byte[] data;
    private KeyOrder order;
    private int limit;
    /** Offset of the current entry; {@code limit} when invalid. */
    private int current;
    /** Index of the restart at or before {@code current}. */
    private int restartIndex;
    private int nextOffset;
    /** The current key is {@code key[0, keyLength)}. */
    private byte[] key = new byte[32];
    private int keyLength;
    private int valueOffset;
    private int valueLength;
    private long handleOffset;
    private long handleSize;

    BlockIterator(Block block, Comparator<byte[]> comparator) {
        this(block, KeyOrder.of(comparator));
    }

    BlockIterator(Block block, KeyOrder order) {
        this.order = order;
        reset(block);
    }

    /** Points the iterator at {@code block} in {@code keyOrder}, invalid until positioned; keeps the key buffer. */
    void reset(Block target, KeyOrder keyOrder) {
        this.order = keyOrder;
        reset(target);
    }

    /** Points the iterator at {@code block}, invalid until it is positioned; keeps the key buffer. */
    void reset(Block target) {
        this.block = target;
        this.data = target == null ? null : target.contents();
        this.limit = target == null ? 0 : target.restartOffset();
        invalidate();
    }

    /** Forgets the block (so that a long-lived iterator does not keep it from the collector). */
    void release() {
        reset(null);
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
            if (compareRestartKey(mid, target) < 0) {
                left = mid;
            } else {
                right = mid - 1;
            }
        }
        seekToRestart(left);
        while (parseNext()) {
            if (order.compare(key, 0, keyLength, target) >= 0) {
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
        return Arrays.copyOf(key, keyLength);
    }

    @Override
    public byte[] value() {
        checkValid();
        return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
    }

    /**
     * The buffer holding the current key in {@code [0, keyLength())}: not a copy, changed by the
     * next move; the caller must neither keep nor change it. REQUIRES: {@link #isValid()}.
     */
    byte[] keyBuffer() {
        checkValid();
        return key;
    }

    /** The length of the current key. REQUIRES: {@link #isValid()}. */
    int keyLength() {
        checkValid();
        return keyLength;
    }

    /** The block's contents, where the current value lies at {@link #valueOffset()}. */
    byte[] blockContents() {
        return data;
    }

    /** Where the current value starts in {@link #blockContents()}. REQUIRES: {@link #isValid()}. */
    int valueOffset() {
        checkValid();
        return valueOffset;
    }

    /** The length of the current value. REQUIRES: {@link #isValid()}. */
    int valueLength() {
        checkValid();
        return valueLength;
    }

    /**
     * Decodes the block handle at the start of the current value (an index or metaindex entry) in
     * place, for {@link #handleOffset()} and {@link #handleSize()}; bytes after the handle are
     * ignored, as LevelDB ignores them (iq80's writer pads index values to 20 bytes). A malformed
     * handle is a corruption of this block. REQUIRES: {@link #isValid()}.
     */
    void decodeHandle(String what) throws CorruptionException {
        checkValid();
        int end = valueOffset + valueLength;
        try {
            long offset = Varint.getVarint64(data, valueOffset, end);
            int at = valueOffset + Varint.lengthAt(data, valueOffset, end);
            long size = Varint.getVarint64(data, at, end);
            if (offset < 0 || size < 0) {
                throw CorruptionException.atOffset(valueOffset, "block handle " + Long.toUnsignedString(offset)
                        + "+" + Long.toUnsignedString(size) + " is beyond any file");
            }
            handleOffset = offset;
            handleSize = size;
        } catch (CorruptionException e) {
            throw block.corruption(what + " holds a malformed block handle: " + e.reason());
        }
    }

    /** The offset of the handle {@link #decodeHandle} decoded last. */
    long handleOffset() {
        return handleOffset;
    }

    /** The size of the handle {@link #decodeHandle} decoded last. */
    long handleSize() {
        return handleSize;
    }

    /** The handle {@link #decodeHandle} decoded last, as a value. */
    BlockHandle handle() {
        return new BlockHandle(handleOffset, handleSize);
    }

    /**
     * The index of the restart at or before the current entry: in a block with a restart at
     * every entry (an index block), the current entry's ordinal. REQUIRES: {@link #isValid()}.
     */
    int restartIndex() {
        checkValid();
        return restartIndex;
    }

    /** The offset of the current entry inside the block, for messages. REQUIRES: {@link #isValid()}. */
    int entryOffset() {
        checkValid();
        return current;
    }

    /**
     * A copy of the key of the entry before the current one, or null at the first entry. Leaves
     * the iterator where it is; costs what {@link #prev()} costs (for an index block, with a
     * restart at every entry, one entry decoded). REQUIRES: {@link #isValid()}.
     */
    byte[] previousKey() throws CorruptionException {
        checkValid();
        int savedCurrent = current;
        int savedRestartIndex = restartIndex;
        int savedNextOffset = nextOffset;
        byte[] savedKey = Arrays.copyOf(key, keyLength);
        int savedValueOffset = valueOffset;
        int savedValueLength = valueLength;
        prev();
        byte[] previous = isValid() ? Arrays.copyOf(key, keyLength) : null;
        current = savedCurrent;
        restartIndex = savedRestartIndex;
        nextOffset = savedNextOffset;
        System.arraycopy(savedKey, 0, key, 0, savedKey.length);
        keyLength = savedKey.length;
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
        restartIndex = block == null ? 0 : block.restartCount();
        keyLength = 0;
    }

    private void seekToRestart(int index) {
        restartIndex = index;
        nextOffset = block.restart(index);
        keyLength = 0;
    }

    /**
     * Compares the whole key stored at restart {@code index} (a restart entry shares nothing with
     * the key before) with {@code target}, where it lies.
     */
    private int compareRestartKey(int index, byte[] target) throws CorruptionException {
        int start = block.restart(index);
        try {
            long sharedAndLength = Varint.getVarint32WithLength(data, start, limit);
            int at = start + (int) (sharedAndLength >>> 32);
            long unsharedAndLength = Varint.getVarint32WithLength(data, at, limit);
            at += (int) (unsharedAndLength >>> 32);
            at += Varint.lengthAt(data, at, limit);
            long unshared = unsharedAndLength & 0xffffffffL;
            if ((int) sharedAndLength != 0 || unshared > limit - at) {
                throw block.corruption("restart entry at byte " + start + " shares "
                        + (sharedAndLength & 0xffffffffL) + " key bytes or has a key of " + unshared
                        + " bytes past the entries");
            }
            return order.compare(data, at, (int) unshared, target);
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
        long shared;
        long unshared;
        long length;
        int at = current;
        if (at + 3 <= limit && (data[at] | data[at + 1] | data[at + 2]) >= 0) {
            // The common case, as LevelDB's DecodeEntry: all three lengths fit one byte each.
            shared = data[at];
            unshared = data[at + 1];
            length = data[at + 2];
            at += 3;
        } else {
            try {
                long packed = Varint.getVarint32WithLength(data, at, limit);
                shared = packed & 0xffffffffL;
                at += (int) (packed >>> 32);
                packed = Varint.getVarint32WithLength(data, at, limit);
                unshared = packed & 0xffffffffL;
                at += (int) (packed >>> 32);
                packed = Varint.getVarint32WithLength(data, at, limit);
                length = packed & 0xffffffffL;
                at += (int) (packed >>> 32);
            } catch (CorruptionException e) {
                throw located(e, current);
            }
        }
        if (shared > keyLength || unshared + length > limit - at) {
            int before = keyLength;
            throw located(block.corruption("entry at byte " + current + " (shared " + shared + ", unshared "
                    + unshared + ", value " + length + ") does not fit after a key of " + before + " bytes"), current);
        }
        int newLength = (int) (shared + unshared);
        if (newLength > key.length) {
            key = Arrays.copyOf(key, Math.max(newLength, key.length * 2));
        }
        System.arraycopy(data, at, key, (int) shared, (int) unshared);
        keyLength = newLength;
        valueOffset = at + (int) unshared;
        valueLength = (int) length;
        nextOffset = valueOffset + valueLength;
        while (restartIndex + 1 < block.restartCount() && block.restart(restartIndex + 1) <= current) {
            restartIndex++;
        }
        return true;
    }
}
