package org.lsmtree.engine;

import static com.google.common.base.Preconditions.checkState;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import org.lsmtree.format.iterator.InternalIterator;
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
 * (the newest visible one is the last seen while moving back), standing just before them.
 *
 * <p>{@link #key()} and {@link #value()} require {@link #isValid()} and return arrays the caller
 * may keep. The iterator sees one consistent state and keeps the files it reads alive until
 * {@link #close()}. Once its store is closed, every call but {@code close} is an
 * {@link IllegalStateException}. Not thread-safe: one thread at a time.
 */
public final class DbIterator implements Closeable {
    private final InternalIterator entries;
    private final UserComparator userComparator;
    private final long snapshot;
    private final Runnable onClose;
    private final java.util.function.BooleanSupplier storeClosed;
    private boolean valid;
    private boolean forward = true;
    private boolean closed;
    // Going backward: the current key and value. Going forward: the key to skip past.
    private byte[] savedKey;
    private byte[] savedValue;

    DbIterator(InternalIterator entries, UserComparator userComparator, long snapshot, Runnable onClose) {
        this(entries, userComparator, snapshot, onClose, () -> false);
    }

    DbIterator(InternalIterator entries, UserComparator userComparator, long snapshot, Runnable onClose,
            java.util.function.BooleanSupplier storeClosed) {
        this.entries = entries;
        this.userComparator = userComparator;
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
        entries.seek(InternalKey.encode(target, snapshot, ValueType.FOR_SEEK));
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
            savedKey = userKey(entries.key());
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
            savedKey = userKey(entries.key());
            do {
                entries.prev();
            } while (entries.isValid() && userComparator.compare(userKey(entries.key()), savedKey) >= 0);
            forward = false;
            if (!entries.isValid()) {
                valid = false;
                return;
            }
        }
        findPreviousVisible();
    }

    /** The current key. Requires {@link #isValid()}. */
    public byte[] key() {
        checkOpen();
        checkState(valid, "key() on an invalid iterator");
        return forward ? userKey(entries.key()) : savedKey.clone();
    }

    /** The current value. Requires {@link #isValid()}. */
    public byte[] value() {
        checkOpen();
        checkState(valid, "value() on an invalid iterator");
        return forward ? entries.value().clone() : savedValue.clone();
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
            byte[] key = entries.key();
            long trailer = InternalKey.trailerOf(key);
            if (trailer >>> 8 <= snapshot) {
                byte[] user = userKey(key);
                if ((trailer & 0xff) == ValueType.DELETE.code()) {
                    savedKey = user; // everything older for this key is hidden
                    skipping = true;
                } else if (!skipping || userComparator.compare(user, savedKey) > 0) {
                    valid = true;
                    savedKey = null;
                    return;
                }
            }
            entries.next();
        }
        valid = false;
        savedKey = null;
    }

    /**
     * Moves backward over one user key's entries, remembering the last visible one seen (the
     * newest), and stops when the next entry back belongs to an earlier key that is visible.
     */
    private void findPreviousVisible() throws IOException {
        boolean found = false; // savedKey/savedValue hold a visible put
        while (entries.isValid()) {
            byte[] key = entries.key();
            long trailer = InternalKey.trailerOf(key);
            if (trailer >>> 8 <= snapshot) {
                byte[] user = userKey(key);
                if (found && userComparator.compare(user, savedKey) < 0) {
                    break; // an earlier key: the saved one is the answer
                }
                if ((trailer & 0xff) == ValueType.DELETE.code()) {
                    found = false;
                    savedKey = user;
                    savedValue = null;
                } else {
                    found = true;
                    savedKey = user;
                    savedValue = entries.value();
                }
            }
            entries.prev();
        }
        valid = found;
        if (!found) {
            savedKey = null;
            savedValue = null;
        }
    }

    private static byte[] userKey(byte[] internalKey) {
        return Arrays.copyOf(internalKey, internalKey.length - InternalKey.TRAILER_SIZE);
    }

    private void checkOpen() {
        checkState(!closed, "iterator is closed");
        checkState(!storeClosed.getAsBoolean(), "the store of this iterator is closed");
    }
}
