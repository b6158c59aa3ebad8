package org.lsmtree.sstable;

import java.io.IOException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;

/**
 * The two-level iterator over a table: an iterator over the index block picks data blocks, and
 * an iterator over the current data block walks entries; moving off either end of a data block
 * moves the index iterator and opens the next (or previous) block, skipping empty ones.
 *
 * <p>Keys and values are fresh arrays; views ({@link #keyView}, {@link #valueView}) are valid
 * until the next move. A mapped table's data blocks are read into the iterator's own
 * {@link BlockBuffer}, reused block after block, so a view of the block left behind is stale
 * after the move that leaves it, which the contract allows; the views of the block it is on
 * stay valid while it moves inside that block, since the buffer is reloaded only when it enters
 * another block. After an {@link IOException} (a damaged block) the iterator is invalid until the
 * next seek. Not thread-safe.
 */
final class TableIterator implements InternalIterator {
    private final TableReader table;
    private final boolean verifyChecksums;
    private final boolean fillCache;
    /** Where a mapped table's data blocks are read to; borrowed on the first such read, given back on close. */
    private BlockBuffer buffer;
    private final BlockIterator index;
    /** Reused for every data block the iterator enters, so its key buffer is too. */
    private final BlockIterator blockIterator;
    /** {@code blockIterator} while it is on a block; null when there is none. */
    private BlockIterator data;
    /** The offset of the block {@code data} is on. */
    private long dataOffset = -1;

    TableIterator(TableReader table, boolean verifyChecksums, boolean fillCache) {
        this.table = table;
        this.verifyChecksums = verifyChecksums;
        this.fillCache = fillCache;
        this.index = table.indexBlock().iterator(table.options().keyOrder());
        this.blockIterator = new BlockIterator(null, table.options().keyOrder());
    }

    @Override
    public boolean isValid() {
        return data != null && data.isValid();
    }

    @Override
    public void seekToFirst() throws IOException {
        try {
            index.seekToFirst();
            openBlock();
            if (data != null) {
                data.seekToFirst();
            }
            skipEmptyForward();
        } catch (IOException | RuntimeException e) {
            forgetBlock(); // invalid after a failure, until the next seek
            throw e;
        }
    }

    @Override
    public void seekToLast() throws IOException {
        try {
            index.seekToLast();
            openBlock();
            if (data != null) {
                data.seekToLast();
            }
            skipEmptyBackward();
        } catch (IOException | RuntimeException e) {
            forgetBlock(); // invalid after a failure, until the next seek
            throw e;
        }
    }

    @Override
    public void seek(byte[] target) throws IOException {
        try {
            index.seek(target);
            openBlock();
            if (data != null) {
                data.seek(target);
            }
            skipEmptyForward();
        } catch (IOException | RuntimeException e) {
            forgetBlock(); // invalid after a failure, until the next seek
            throw e;
        }
    }

    @Override
    public void next() throws IOException {
        checkValid();
        try {
            data.next();
            skipEmptyForward();
        } catch (IOException | RuntimeException e) {
            forgetBlock(); // invalid after a failure, until the next seek
            throw e;
        }
    }

    @Override
    public void prev() throws IOException {
        checkValid();
        try {
            data.prev();
            skipEmptyBackward();
        } catch (IOException | RuntimeException e) {
            forgetBlock(); // invalid after a failure, until the next seek
            throw e;
        }
    }

    @Override
    public byte[] key() {
        checkValid();
        return data.key();
    }

    @Override
    public byte[] value() {
        checkValid();
        return data.value();
    }

    /** The current key where it lies, in the data block iterator's key buffer: no copy. */
    @Override
    public Slice keyView(Slice view) {
        checkValid();
        return view.set(data.keyBuffer(), 0, data.keyLength());
    }

    /** The current value where it lies, in the data block's contents: no copy. */
    @Override
    public Slice valueView(Slice view) {
        checkValid();
        return view.set(data.blockContents(), data.valueOffset(), data.valueLength());
    }

    @Override
    public void close() {
        forgetBlock();
        if (buffer != null) {
            buffer.giveBack();
            buffer = null;
        }
    }

    private void forgetBlock() {
        data = null;
        dataOffset = -1;
        blockIterator.release();
    }

    private void checkValid() {
        if (!isValid()) {
            throw new IllegalStateException("iterator is not positioned on an entry");
        }
    }

    private void skipEmptyForward() throws IOException {
        while (data == null || !data.isValid()) {
            if (!index.isValid()) {
                forgetBlock();
                return;
            }
            index.next();
            openBlock();
            if (data != null) {
                data.seekToFirst();
            }
        }
    }

    private void skipEmptyBackward() throws IOException {
        while (data == null || !data.isValid()) {
            if (!index.isValid()) {
                forgetBlock();
                return;
            }
            index.prev();
            openBlock();
            if (data != null) {
                data.seekToLast();
            }
        }
    }

    /** Points {@code data} at the block the index iterator is on (null when it is invalid). */
    private void openBlock() throws IOException {
        if (!index.isValid()) {
            forgetBlock();
            return;
        }
        index.decodeHandle("index entry");
        if (data != null && index.handleOffset() == dataOffset) {
            return;
        }
        forgetBlock();
        if (buffer == null && table.isMapped()) {
            buffer = BlockBuffer.borrow();
        }
        blockIterator.reset(table.dataBlock(index, verifyChecksums, buffer, fillCache));
        data = blockIterator;
        dataOffset = index.handleOffset();
    }
}
