package org.lsmtree.wal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Varint;

/**
 * Puts and deletes applied together: all of them or none, also after a crash. A delete is a typed
 * tombstone, so an empty value is a legal value distinct from absence.
 *
 * <p>Layout: the batch keeps its entries already encoded as the WAL stores them (see
 * {@link WalFormat}), behind a 12-byte header that stays reserved until the batch is written with
 * a sequence; the log writer copies these bytes once, into the record's frame, and the memtable
 * reads its entries from them in place ({@link #forEachEntry}). Keys and values are copied in.
 * A new batch allocates nothing until its first entry.
 *
 * <p>Not thread-safe. The group-commit leader reads the batches of its group while their writers
 * wait, writing at most the sequence into a batch's reserved header.
 */
public final class WriteBatch {
    private static final int MAX_SIZE = Integer.MAX_VALUE - 64;

    /** The contents of every batch until its first entry: never written (see {@link #encodeWithSequence}). */
    private static final byte[] NO_ENTRIES = new byte[WalFormat.HEADER_SIZE];

    private byte[] contents = NO_ENTRIES; // the first entry allocates an array of its size
    private int size = WalFormat.HEADER_SIZE;
    private int count;
    private int puts;

    /** An empty batch. */
    public WriteBatch() {}

    /** Receives a batch's entries in order. */
    public interface Handler {
        void put(byte[] key, byte[] value);

        void delete(byte[] key);
    }

    /**
     * Receives a batch's entries in order as ranges of the batch's own encoded bytes, copying
     * nothing. The array is valid only during the call, and must not be changed.
     */
    public interface EntryVisitor {
        void put(byte[] encoded, int keyOffset, int keyLength, int valueOffset, int valueLength);

        void delete(byte[] encoded, int keyOffset, int keyLength);
    }

    /** Adds a put of {@code value} (possibly empty) under {@code key} (possibly empty). */
    public WriteBatch put(byte[] key, byte[] value) {
        checkNotNull(key, "key");
        checkNotNull(value, "value");
        reserve(1L + 2 * Varint.MAX_VARINT32_SIZE + key.length + value.length);
        contents[size++] = (byte) WalFormat.TAG_PUT;
        writeSlice(key);
        writeSlice(value);
        count++;
        puts++;
        return this;
    }

    /** Adds a delete of {@code key}. */
    public WriteBatch delete(byte[] key) {
        checkNotNull(key, "key");
        reserve(1L + Varint.MAX_VARINT32_SIZE + key.length);
        contents[size++] = (byte) WalFormat.TAG_DELETE;
        writeSlice(key);
        count++;
        return this;
    }

    /** Appends every entry of {@code other}, after this batch's own. */
    public WriteBatch append(WriteBatch other) {
        int entries = other.size - WalFormat.HEADER_SIZE;
        reserve(entries);
        System.arraycopy(other.contents, WalFormat.HEADER_SIZE, contents, size, entries);
        size += entries;
        count += other.count;
        puts += other.puts;
        return this;
    }

    /** Removes every entry. */
    public WriteBatch clear() {
        size = WalFormat.HEADER_SIZE;
        count = 0;
        puts = 0;
        return this;
    }

    /** The number of entries (puts and deletes). */
    public int count() {
        return count;
    }

    /** The number of puts; the rest of {@link #count()} are deletes. */
    public int putCount() {
        return puts;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The bytes this batch takes in the log (header and entries), before record framing. */
    public int approximateSize() {
        return size;
    }

    /** Hands every entry to {@code handler}, in the order added, as copies of its key and value. */
    public void forEach(Handler handler) {
        checkNotNull(handler, "handler");
        forEachEntry(new EntryVisitor() {
            @Override
            public void put(byte[] encoded, int keyOffset, int keyLength, int valueOffset, int valueLength) {
                handler.put(Arrays.copyOfRange(encoded, keyOffset, keyOffset + keyLength),
                        Arrays.copyOfRange(encoded, valueOffset, valueOffset + valueLength));
            }

            @Override
            public void delete(byte[] encoded, int keyOffset, int keyLength) {
                handler.delete(Arrays.copyOfRange(encoded, keyOffset, keyOffset + keyLength));
            }
        });
    }

    /** Hands every entry to {@code visitor}, in the order added, in place (no copies). */
    public void forEachEntry(EntryVisitor visitor) {
        checkNotNull(visitor, "visitor");
        try {
            WriteBatchCodec.parseEntries(contents, size, count, visitor);
        } catch (CorruptionException e) {
            throw new AssertionError("a batch built in memory failed to parse", e);
        }
    }

    /**
     * The batch's encoded bytes: its entries lie in {@code [WalFormat.HEADER_SIZE,
     * approximateSize())}, after the header. The array is this batch's own, valid until it changes.
     */
    byte[] encoded() {
        return contents;
    }

    /** A batch whose encoded entries were checked by {@link WriteBatchCodec}. */
    static WriteBatch ofCheckedEntries(byte[] encoded, int count, int puts) {
        WriteBatch batch = new WriteBatch();
        batch.contents = encoded;
        batch.size = encoded.length;
        batch.count = count;
        batch.puts = puts;
        return batch;
    }

    /**
     * The encoded batch with {@code sequence} written into its header: {@link #approximateSize()}
     * bytes of the returned array. The array is this batch's own; it is valid until the batch
     * changes.
     */
    byte[] encodeWithSequence(long sequence) {
        if (contents == NO_ENTRIES) {
            contents = new byte[WalFormat.HEADER_SIZE];
        }
        org.lsmtree.format.LittleEndian.putFixed64(contents, 0, sequence);
        org.lsmtree.format.LittleEndian.putFixed32(contents, 8, count);
        return contents;
    }

    private void writeSlice(byte[] bytes) {
        size = Varint.putVarint32(contents, size, bytes.length);
        System.arraycopy(bytes, 0, contents, size, bytes.length);
        size += bytes.length;
    }

    private void reserve(long extra) {
        long needed = size + extra;
        checkArgument(needed <= MAX_SIZE, "write batch would exceed %s bytes", MAX_SIZE);
        if (needed > contents.length) {
            contents = Arrays.copyOf(contents, (int) Math.min(MAX_SIZE, Math.max(needed, 2L * contents.length)));
        }
    }

    @Override
    public String toString() {
        return "WriteBatch(" + count + " entries, " + size + " bytes)";
    }
}
