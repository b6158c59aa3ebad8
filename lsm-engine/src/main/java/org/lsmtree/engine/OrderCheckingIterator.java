package org.lsmtree.engine;

import com.google.common.io.BaseEncoding;
import java.io.IOException;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.KeyCopy;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.iterator.SliceComparator;
import org.lsmtree.format.key.InternalKeyComparator;

/**
 * Passes a table's entries through and checks, on every forward step, that each key is greater
 * than the one before: a table whose blocks are each intact but out of order (swapped, copied)
 * must stop a compaction with a {@link CorruptionException} naming that table, rather than reach
 * the table builder as a caller bug or, worse, be written out in the wrong order. Backward moves
 * and seeks are passed through unchecked (compaction only walks forward).
 *
 * <p>The check compares the source's key view with a reused copy of the key before, and
 * {@link #keyView}/{@link #valueView} pass the source's views through, so a compaction walking
 * through this allocates nothing per entry.
 *
 * <p>Not thread-safe, like every iterator.
 */
final class OrderCheckingIterator implements InternalIterator {
    private final InternalIterator source;
    private final SliceComparator comparator;
    private final String file;
    private final Slice key = new Slice();
    /** The key before, while the walk is forward from a seek; else empty with {@code checking} off. */
    private final KeyCopy previous = new KeyCopy(64);
    private boolean checking;

    OrderCheckingIterator(InternalIterator source, InternalKeyComparator comparator, String file) {
        this.source = source;
        this.comparator = SliceComparator.forInternalKeys(comparator);
        this.file = file;
    }

    @Override
    public boolean isValid() {
        return source.isValid();
    }

    @Override
    public void seekToFirst() throws IOException {
        source.seekToFirst();
        remember();
    }

    @Override
    public void seekToLast() throws IOException {
        source.seekToLast();
        checking = false;
    }

    @Override
    public void seek(byte[] target) throws IOException {
        source.seek(target);
        remember();
    }

    @Override
    public void next() throws IOException {
        source.next();
        if (!source.isValid()) {
            return;
        }
        source.keyView(key);
        if (checking && comparator.compare(key.array(), key.offset(), key.length(), previous.array(), 0,
                previous.length()) <= 0) {
            throw new CorruptionException(file, -1, "keys out of order: internal key "
                    + hex(key.toByteArray()) + " follows " + hex(previous.toByteArray()));
        }
        previous.set(key);
        checking = true;
    }

    private void remember() {
        checking = source.isValid();
        if (checking) {
            previous.set(source.keyView(key));
        }
    }

    @Override
    public void prev() throws IOException {
        source.prev();
        checking = false;
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
    public Slice keyView(Slice view) {
        return source.keyView(view);
    }

    @Override
    public Slice valueView(Slice view) {
        return source.valueView(view);
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
