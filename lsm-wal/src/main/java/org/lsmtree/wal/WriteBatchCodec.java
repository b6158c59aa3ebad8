package org.lsmtree.wal;

import io.netty.buffer.ByteBuf;
import org.lsmtree.format.Codec;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.Varint;
import org.lsmtree.format.key.InternalKey;

/**
 * A {@link SequencedBatch} to and from LevelDB's write-batch bytes ({@link WalFormat}), exactly.
 *
 * <p>Decoding checks everything before trusting it: the 12-byte header is there; every key and
 * value length lies within the record (checked before anything is allocated, so a 4 GiB length
 * in a 100-byte record costs nothing); every tag is known; the entries found equal the header's
 * count; the sequences fit in 56 bits. Offsets in its {@link CorruptionException}s are relative to
 * the start of the batch. Stateless and thread-safe.
 */
public final class WriteBatchCodec implements Codec<SequencedBatch> {
    public static final WriteBatchCodec INSTANCE = new WriteBatchCodec();

    private WriteBatchCodec() {}

    @Override
    public void encode(SequencedBatch value, ByteBuf out) {
        WriteBatch batch = value.batch();
        out.writeBytes(batch.encodeWithSequence(value.sequence()), 0, batch.approximateSize());
    }

    @Override
    public SequencedBatch decode(ByteBuf in) throws CorruptionException {
        int length = in.readableBytes();
        byte[] encoded = new byte[length]; // bounded by the record we were given
        in.readBytes(encoded);
        return decodeOwned(encoded);
    }

    /** Decodes a copy of {@code encoded}; the caller keeps its array. */
    @Override
    public SequencedBatch decode(byte[] encoded) throws CorruptionException {
        return decodeOwned(encoded.clone());
    }

    /** Decodes {@code encoded}, which the returned batch keeps: the caller must not change it. */
    SequencedBatch decodeOwned(byte[] encoded) throws CorruptionException {
        if (encoded.length < WalFormat.HEADER_SIZE) {
            throw CorruptionException.atOffset(0, "write batch of " + encoded.length
                    + " bytes is shorter than its " + WalFormat.HEADER_SIZE + "-byte header");
        }
        long sequence = LittleEndian.getFixed64(encoded, 0);
        long count = LittleEndian.getFixed32(encoded, 8) & 0xffffffffL;
        if (sequence < 0 || sequence > InternalKey.MAX_SEQUENCE
                || count > 0 && sequence + count - 1 > InternalKey.MAX_SEQUENCE) {
            throw CorruptionException.atOffset(0, "write batch sequence " + Long.toUnsignedString(sequence)
                    + " with " + count + " entries exceeds 2^56 - 1");
        }
        if (count > encoded.length) { // every entry takes at least 2 bytes
            throw CorruptionException.atOffset(8, "write batch header counts " + count
                    + " entries in a record of " + encoded.length + " bytes");
        }
        int puts = parseEntries(encoded, encoded.length, (int) count, null);
        return new SequencedBatch(sequence, WriteBatch.ofCheckedEntries(encoded, (int) count, puts));
    }

    /**
     * Walks the entries of {@code encoded[12, size)}, checking each, and hands them to
     * {@code handler} (when not null). The entries must number exactly {@code count}. Returns the
     * number of puts.
     */
    static int parseEntries(byte[] encoded, int size, int count, WriteBatch.EntryVisitor handler)
            throws CorruptionException {
        int position = WalFormat.HEADER_SIZE;
        int found = 0;
        int puts = 0;
        while (position < size) {
            int entryStart = position;
            int tag = encoded[position++] & 0xff;
            if (tag != WalFormat.TAG_PUT && tag != WalFormat.TAG_DELETE) {
                throw CorruptionException.atOffset(entryStart, "unknown write batch tag " + tag);
            }
            int keyLength = sliceLength(encoded, position, size, "key", entryStart);
            position += Varint.lengthAt(encoded, position, size);
            int keyStart = position;
            position += keyLength;
            if (tag == WalFormat.TAG_PUT) {
                int valueLength = sliceLength(encoded, position, size, "value", entryStart);
                position += Varint.lengthAt(encoded, position, size);
                if (handler != null) {
                    handler.put(encoded, keyStart, keyLength, position, valueLength);
                }
                position += valueLength;
                puts++;
            } else if (handler != null) {
                handler.delete(encoded, keyStart, keyLength);
            }
            found++;
        }
        if (found != count) {
            throw CorruptionException.atOffset(8, "write batch header counts " + count
                    + " entries but the record holds " + found);
        }
        return puts;
    }

    /** The length of the varint-prefixed slice at {@code position}, checked against {@code limit}. */
    private static int sliceLength(byte[] encoded, int position, int limit, String what, int entryStart)
            throws CorruptionException {
        long length = Varint.getVarint32(encoded, position, limit) & 0xffffffffL;
        int prefix = Varint.lengthAt(encoded, position, limit);
        if (length > limit - position - prefix) {
            throw CorruptionException.atOffset(entryStart, "write batch " + what + " of " + length
                    + " bytes reaches past the end of the record (" + (limit - position - prefix) + " bytes left)");
        }
        return (int) length;
    }
}
