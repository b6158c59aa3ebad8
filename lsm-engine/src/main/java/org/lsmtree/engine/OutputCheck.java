package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.KeyCopy;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.iterator.SliceComparator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.sstable.BlockCache;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;

/**
 * The paranoid file check ({@link Options#withParanoidFileChecks}, RocksDB's
 * {@code paranoid_file_checks}): a new table of a flush, a compaction or a recovery is read back
 * once, front to back, after it is synced and before any MANIFEST edit names it, and must hold
 * exactly what was written. While the table is written this check keeps a digest (CRC32C over
 * each key and value with their lengths) and a count of the entries added; {@link #verify} then
 * opens the file without the block cache (footer, index, metaindex, filter and properties blocks
 * checked against their checksums, every index entry and filter checked by {@link TableReader}),
 * reads every data block with its checksum checked, checks that each key is greater than the one
 * before, and compares the count and digest of what it read with those of what was written.
 *
 * <p>Any difference is a {@link CorruptionException} naming the table (and the offset, when a
 * block's checksum failed): the caller deletes the table and installs nothing, so bytes damaged
 * on their way to the disk never reach a version, and the data stays where it was (the memtable
 * and its WAL, or the compaction's inputs). The cost is one sequential read of each new table,
 * usually from the operating system's page cache, and a CRC32C over each entry twice.
 *
 * <p>Not thread-safe: one per table being written.
 */
final class OutputCheck {
    private static final String REASON = "the new table does not read back as written (paranoid file check): ";

    private final CRC32C written = new CRC32C();
    private final byte[] lengthBytes = new byte[Integer.BYTES];
    private long entriesAdded;

    /** Adds an entry the table was given, in the order given (the views are read, not kept). */
    void added(Slice internalKey, Slice value) {
        update(written, internalKey, value);
        entriesAdded++;
    }

    /** {@link #added(Slice, Slice)} for arrays. */
    void added(byte[] internalKey, byte[] value) {
        added(new Slice().set(internalKey), new Slice().set(value));
    }

    /**
     * Reads {@code file} ({@code size} bytes, as its builder said) back and checks it holds what
     * was {@link #added}, in order; throws {@link CorruptionException} naming the file when not.
     */
    void verify(Storage storage, Path file, long size, TableOptions options) throws IOException {
        String name = file.toString();
        long onDisk = storage.size(file);
        if (onDisk != size) {
            throw failed(name, CorruptionException.UNKNOWN_OFFSET, "the file is " + onDisk + " bytes, " + size
                    + " were written");
        }
        SliceComparator comparator = SliceComparator.of(options.comparator());
        CRC32C read = new CRC32C();
        long count = 0;
        try (TableReader reader = TableReader.open(storage, file, size, options, BlockCache.NONE, 0);
                InternalIterator table = reader.iterator(true)) {
            reader.properties(); // its block's checksum, when the table has one
            Slice key = new Slice();
            Slice value = new Slice();
            KeyCopy previous = new KeyCopy(64); // the views move with the iterator; the previous key must not
            for (table.seekToFirst(); table.isValid(); table.next()) {
                table.keyView(key);
                if (count > 0 && comparator.compare(previous.array(), 0, previous.length(), key.array(), key.offset(),
                        key.length()) >= 0) {
                    throw failed(name, CorruptionException.UNKNOWN_OFFSET, "entry " + count
                            + " is not greater than the one before it");
                }
                update(read, key, table.valueView(value));
                previous.set(key);
                count++;
            }
        } catch (CorruptionException e) {
            if (e.reason().startsWith(REASON)) {
                throw e;
            }
            throw new CorruptionException(name, e.offset(), REASON + e.reason(), e);
        }
        if (count != entriesAdded || read.getValue() != written.getValue()) {
            throw failed(name, CorruptionException.UNKNOWN_OFFSET, "read back " + count + " entries (digest "
                    + Long.toHexString(read.getValue()) + "), " + entriesAdded + " were written (digest "
                    + Long.toHexString(written.getValue()) + ")");
        }
    }

    private static CorruptionException failed(String file, long offset, String why) {
        return new CorruptionException(file, offset, REASON + why);
    }

    private void update(CRC32C digest, Slice key, Slice value) {
        updateLength(digest, key.length());
        digest.update(key.array(), key.offset(), key.length());
        updateLength(digest, value.length());
        digest.update(value.array(), value.offset(), value.length());
    }

    /** The length as 4 little-endian bytes, in one update. */
    private void updateLength(CRC32C digest, int length) {
        LittleEndian.putFixed32(lengthBytes, 0, length);
        digest.update(lengthBytes, 0, lengthBytes.length);
    }
}
