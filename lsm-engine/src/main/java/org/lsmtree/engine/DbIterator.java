package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkState;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.iterator.SliceComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.key.ValueType;

/**
 * Walks the user keys of a store as of one snapshot, in order, both ways: for each user key only
 * its newest entry at or below the snapshot counts, and a key whose newest entry is a tombstone is
 * not there at all. Underneath is a merge of every source (memtables, tables) in internal-key
 * order, where a user key's entries run newest first.
 *
 * <p>Going forward the iterator stands on the newest visible entry of the current key. Going
 * backward it has passed all of the current key's entries and holds the key and value it found
 * (the newest visible one is the last seen while moving back) in buffers of its own, standing
 * just before them.
 *
 * <p>{@link #key()} and {@link #value()} require {@link #isValid()} and return copies the caller
 * may keep. {@link #keyView()} and {@link #valueView()} show the same bytes without a copy, valid
 * until the iterator moves or closes. Moving allocates nothing here: entries are read through
 * {@link Slice}s, and the keys this iterator must remember are copied into buffers it reuses
 * (for a user comparator other than the bytewise one, comparisons copy the keys they compare).
 *
 * <p>Every entry passed on the way (shadowed and deleted ones too) is reported to the store's
 * {@link ReadSampler}, if it has one, which now and then samples a key for read-triggered
 * compaction (LevelDB's read sampling).
 *
 * <p>The iterator sees one consistent state and keeps the files it reads alive until
 * {@link #close()}. Once its store is closed, every call but {@code close} is an
 * {@link IllegalStateException}. Not thread-safe: one thread at a time.
 */
public final class DbIterator implements Closeable {
    private final InternalIterator entries;
    private final SliceComparator userKeys;
    private final long snapshot;
    private final Runnable onClose;
    private final BooleanSupplier storeClosed;
    /** Null when the store samples no reads. */
    private final ReadSampler sampler;
    /** Bytes of entries this iterator may still pass before its next sample. */
    private long bytesUntilSample;
    private final Slice entryKey = new Slice();
    private final Slice entryValue = new Slice();
    /** Going backward: the current key. Going forward: the key to skip past, when skipping. */
    private final Bytes savedKey = new Bytes();
    /** Going backward: the current value. */
    private final Bytes savedValue = new Bytes();
    /** The internal key of the last seek, reused while targets keep their length. */
    private byte[] seekKey = new byte[0];
    private View keyView; // made on first use: most iterators are never asked for views
    private View valueView;
    private boolean valid;
    private boolean forward = true;
    private boolean closed;

    DbIterator(InternalIterator entries, UserComparator userComparator, long snapshot, Runnable onClose) {
        this(entries, userComparator, snapshot, onClose, () -> false, null);
    }

    DbIterator(InternalIterator entries, UserComparator userComparator, long snapshot, Runnable onClose,
            BooleanSupplier storeClosed, ReadSampler sampler) {
        this.sampler = sampler;
        this.bytesUntilSample = sampler == null ? 0 : sampler.period();
        this.entries = entries;
        this.userKeys = SliceComparator.forUserKeys(userComparator);
        this.snapshot = snapshot;
        this.onClose = onClose;
        this.storeClosed = storeClosed;
    }

    /** Whether the iterator stands on a key. */
    public boolean isValid() {
        return valid;
    }

    /** Moves to the first key. */
    public void seekToFirst() throws IOException {
        checkOpen();
        forward = true;
        entries.seekToFirst();
        findNextVisible(false);
    }

    /** Moves to the last key. */
    public void seekToLast() throws IOException {
        checkOpen();
        forward = false;
        entries.seekToLast();
        findPreviousVisible();
    }

    /** Moves to the first key at or after {@code target}. */
    public void seek(byte[] target) throws IOException {
        checkOpen();
        forward = true;
        if (seekKey.length != target.length + InternalKey.TRAILER_SIZE) {
            seekKey = new byte[target.length + InternalKey.TRAILER_SIZE];
        }
        System.arraycopy(target, 0, seekKey, 0, target.length);
        LittleEndian.putFixed64(seekKey, target.length, InternalKey.packTrailer(snapshot, ValueType.FOR_SEEK));
        entries.seek(seekKey);
        findNextVisible(false);
    }

    /** Moves to the next key. Requires {@link #isValid()}. */
    public void next() throws IOException {
        checkOpen();
        checkState(valid, "next() on an invalid iterator");
        if (!forward) {
            // Standing just before the current key's entries: step into them; savedKey is the key to skip.
            forward = true;
            if (entries.isValid()) {
                entries.next();
            } else {
                entries.seekToFirst();
            }
        } else {
            entries.keyView(entryKey);
            savedKey.copyUserKey(entryKey);
            entries.next();
        }
        findNextVisible(true);
    }

    /** Moves to the previous key. Requires {@link #isValid()}. */
    public void prev() throws IOException {
        checkOpen();
        checkState(valid, "prev() on an invalid iterator");
        if (forward) {
            // Standing on the current key's newest entry: back up until before all of its entries.
            entries.keyView(entryKey);
            savedKey.copyUserKey(entryKey);
            do {
                entries.prev();
            } while (entries.isValid() && compareUserKey(entries.keyView(entryKey), savedKey) >= 0);
            forward = false;
            if (!entries.isValid()) {
                valid = false;
                return;
            }
        }
        findPreviousVisible();
    }

    /** The current key, a copy the caller keeps. Requires {@link #isValid()}. */
    public byte[] key() {
        checkOpen();
        checkState(valid, "key() on an invalid iterator");
        if (!forward) {
            return savedKey.copy();
        }
        entries.keyView(entryKey);
        return Arrays.copyOfRange(entryKey.array(), entryKey.offset(), userKeyEnd(entryKey));
    }

    /** The current value, a copy the caller keeps. Requires {@link #isValid()}. */
    public byte[] value() {
        checkOpen();
        checkState(valid, "value() on an invalid iterator");
        return forward ? entries.valueView(entryValue).toByteArray() : savedValue.copy();
    }

    /**
     * The current key without a copy: a read-only buffer whose bytes from its position to its
     * limit are the key (the position need not be 0). Valid until the iterator moves or closes;
     * the caller may move its position and limit. Requires {@link #isValid()}.
     */
    public ByteBuffer keyView() {
        checkView("keyView()");
        keyView = keyView == null ? new View() : keyView;
        if (!forward) {
            return keyView.over(savedKey.bytes, 0, savedKey.length);
        }
        entries.keyView(entryKey);
        return keyView.over(entryKey.array(), entryKey.offset(), entryKey.length() - InternalKey.TRAILER_SIZE);
    }

    /** The current value without a copy, as {@link #keyView()} shows the key. Requires {@link #isValid()}. */
    public ByteBuffer valueView() {
        checkView("valueView()");
        valueView = valueView == null ? new View() : valueView;
        return forward ? valueView.over(entries.valueView(entryValue))
                : valueView.over(savedValue.bytes, 0, savedValue.length);
    }

    /** Releases the state and files this iterator holds. Closing twice is harmless. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            valid = false;
            try {
                entries.close();
            } finally {
                onClose.run();
            }
        }
    }

    /**
     * Moves forward to the first visible put: skipping entries above the snapshot, keys whose
     * newest visible entry is a tombstone, and (when {@code skipping}) keys up to savedKey.
     */
    private void findNextVisible(boolean skipping) throws IOException {
        while (entries.isValid()) {
            entries.keyView(entryKey);
            long trailer = trailerOf(entryKey);
            sample();
            if (trailer >>> 8 <= snapshot) {
                if ((trailer & 0xff) == ValueType.DELETE.code()) {
                    savedKey.copyUserKey(entryKey); // everything older for this key is hidden
                    skipping = true;
                } else if (!skipping || compareUserKey(entryKey, savedKey) > 0) {
                    valid = true;
                    return;
                }
            }
            entries.next();
        }
        valid = false;
    }

    /**
     * Moves backward over one user key's entries, remembering the last visible one seen (the
     * newest), and stops when the next entry back belongs to an earlier key that is visible.
     */
    private void findPreviousVisible() throws IOException {
        boolean found = false; // savedKey/savedValue hold a visible put
        while (entries.isValid()) {
            entries.keyView(entryKey);
            long trailer = trailerOf(entryKey);
            if (trailer >>> 8 <= snapshot) {
                if (found && compareUserKey(entryKey, savedKey) < 0) {
                    break; // an earlier key: the saved one is the answer
                }
                savedKey.copyUserKey(entryKey);
                if ((trailer & 0xff) == ValueType.DELETE.code()) {
                    found = false;
                    savedValue.length = 0;
                } else {
                    found = true;
                    savedValue.copy(entries.valueView(entryValue));
                }
            }
            sample(); // here, not before the break: the entry that stops the walk is the next call's
            entries.prev();
        }
        valid = found;
    }

    /** Reports the entry under {@code entryKey} to the sampler, if any. */
    private void sample() {
        if (sampler != null) {
            bytesUntilSample = sampler.read(bytesUntilSample, entryKey, entries.valueView(entryValue).length());
        }
    }

    /** Compares the user key of the internal key {@code internalKey} with {@code userKey}. */
    private int compareUserKey(Slice internalKey, Bytes userKey) {
        return userKeys.compare(internalKey.array(), internalKey.offset(), userKeyEnd(internalKey) - internalKey.offset(),
                userKey.bytes, 0, userKey.length);
    }

    /** Where the user key of the internal key {@code key} ends in its array. */
    private static int userKeyEnd(Slice key) {
        if (key.length() < InternalKey.TRAILER_SIZE) {
            throw new IllegalArgumentException("internal key of " + key.length()
                    + " bytes is shorter than its 8-byte trailer");
        }
        return key.offset() + key.length() - InternalKey.TRAILER_SIZE;
    }

    private static long trailerOf(Slice key) {
        return LittleEndian.getFixed64(key.array(), userKeyEnd(key));
    }

    private void checkView(String call) {
        checkOpen();
        checkState(valid, "%s on an invalid iterator", call);
    }

    private void checkOpen() {
        checkState(!closed, "iterator is closed");
        checkState(!storeClosed.getAsBoolean(), "the store of this iterator is closed");
    }

    /** A growable buffer of bytes this iterator copies a key or value into and reuses. */
    private static final class Bytes {
        private static final byte[] EMPTY = new byte[0];

        byte[] bytes = EMPTY; // grows on first use: an iterator made for one seek may never need it
        int length;

        void copyUserKey(Slice internalKey) {
            copy(internalKey.array(), internalKey.offset(), userKeyEnd(internalKey) - internalKey.offset());
        }

        void copy(Slice slice) {
            copy(slice.array(), slice.offset(), slice.length());
        }

        void copy(byte[] source, int offset, int count) {
            if (bytes.length < count) {
                bytes = new byte[Math.max(count, Math.max(32, bytes.length * 2))];
            }
            System.arraycopy(source, offset, bytes, 0, count);
            length = count;
        }

        byte[] copy() {
            return Arrays.copyOf(bytes, length);
        }
    }

    /** A read-only buffer over the last array shown, re-aimed while the array stays the same. */
    private static final class View {
        private byte[] array;
        private ByteBuffer buffer;

        ByteBuffer over(Slice slice) {
            return over(slice.array(), slice.offset(), slice.length());
        }

        ByteBuffer over(byte[] bytes, int offset, int length) {
            if (bytes != array) {
                array = bytes;
                buffer = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
            }
            buffer.clear();
            buffer.position(offset).limit(offset + length);
            return buffer;
        }
    }
}
