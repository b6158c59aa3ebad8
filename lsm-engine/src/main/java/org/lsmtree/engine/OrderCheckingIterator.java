package org.lsmtree.engine;

import com.google.common.io.BaseEncoding;
import java.io.IOException;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKeyComparator;

/**
 * Passes a table's entries through and checks, on every forward step, that each key is greater
 * than the one before: a table whose blocks are each intact but out of order (swapped, copied)
 * must stop a compaction with a {@link CorruptionException} naming that table, rather than reach
 * the table builder as a caller bug or, worse, be written out in the wrong order. Backward moves
 * and seeks are passed through unchecked (compaction only walks forward).
 *
 * <p>Not thread-safe, like every iterator.
 */
final class OrderCheckingIterator implements InternalIterator {
    private final InternalIterator source;
    private final InternalKeyComparator comparator;
    private final String file;
    private byte[] previous;

    OrderCheckingIterator(InternalIterator source, InternalKeyComparator comparator, String file) {
        this.source = source;
        this.comparator = comparator;
        this.file = file;
    }

    @Override
    public boolean isValid() {
        return source.isValid();
    }

    @Override
    public void seekToFirst() throws IOException {
        source.seekToFirst();
        previous = source.isValid() ? source.key() : null;
    }

    @Override
    public void seekToLast() throws IOException {
        source.seekToLast();
        previous = null;
    }

    @Override
    public void seek(byte[] target) throws IOException {
        source.seek(target);
        previous = source.isValid() ? source.key() : null;
    }

    @Override
    public void next() throws IOException {
        source.next();
        if (!source.isValid()) {
            return;
        }
        byte[] key = source.key();
        if (previous != null && comparator.compare(key, previous) <= 0) {
            throw new CorruptionException(file, -1, "keys out of order: internal key " + hex(key)
                    + " follows " + hex(previous));
        }
        previous = key;
    }

    @Override
    public void prev() throws IOException {
        source.prev();
        previous = null;
    }

    @Override
    public byte[] key() {
        return source.key();
    }

    @Override
    public byte[] value() {
        return source.value();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    /** Up to 32 bytes of {@code key} in hex, for messages. */
    private static String hex(byte[] key) {
        String shown = "0x" + BaseEncoding.base16().lowerCase().encode(key, 0, Math.min(key.length, 32));
        return key.length > 32 ? shown + "... (" + key.length + " bytes)" : shown;
    }
}
