package org.lsmtree.sstable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Varint;

/**
 * What our table-properties meta block records about a table (an extension; LevelDB ignores the
 * block). Sequences are -1 for tables of plain keys.
 *
 * <p>On disk the block is an ordinary block (restart interval 1) of name/value entries in
 * bytewise order: the creator as UTF-8, every number as a varint64. Names not known here are
 * skipped on read, so later versions may add some; a known name with a malformed value is a
 * corruption. See {@code docs/format/table.md}. An immutable value.
 *
 * @param entries entries in the table
 * @param dataBlocks data blocks in the table
 * @param rawKeyBytes the sum of all key lengths, before prefix compression
 * @param rawValueBytes the sum of all value lengths
 * @param smallestSequence the smallest sequence number of an internal key, or -1
 * @param largestSequence the largest sequence number of an internal key, or -1
 * @param creator what wrote the table
 */
public record TableProperties(long entries, long dataBlocks, long rawKeyBytes, long rawValueBytes,
        long smallestSequence, long largestSequence, String creator) {

    /** The creator our builder records. */
    public static final String CREATOR = "lsmtree-sstable 0.1.0";

    static final String CREATOR_KEY = "lsmtree.creator";
    static final String DATA_BLOCKS_KEY = "lsmtree.data.blocks";
    static final String ENTRIES_KEY = "lsmtree.entries";
    static final String RAW_KEY_BYTES_KEY = "lsmtree.raw.key.bytes";
    static final String RAW_VALUE_BYTES_KEY = "lsmtree.raw.value.bytes";
    static final String LARGEST_SEQUENCE_KEY = "lsmtree.sequence.largest";
    static final String SMALLEST_SEQUENCE_KEY = "lsmtree.sequence.smallest";

    /** Adds the entries, in bytewise order of their names, to {@code block}. */
    void writeTo(BlockBuilder block) {
        block.add(bytes(CREATOR_KEY), creator.getBytes(StandardCharsets.UTF_8));
        block.add(bytes(DATA_BLOCKS_KEY), varint(dataBlocks));
        block.add(bytes(ENTRIES_KEY), varint(entries));
        block.add(bytes(RAW_KEY_BYTES_KEY), varint(rawKeyBytes));
        block.add(bytes(RAW_VALUE_BYTES_KEY), varint(rawValueBytes));
        if (smallestSequence >= 0) {
            block.add(bytes(LARGEST_SEQUENCE_KEY), varint(largestSequence));
            block.add(bytes(SMALLEST_SEQUENCE_KEY), varint(smallestSequence));
        }
    }

    /** Reads the properties from the entries of {@code block}. */
    static TableProperties readFrom(Block block) throws CorruptionException {
        long entries = 0;
        long dataBlocks = 0;
        long keyBytes = 0;
        long valueBytes = 0;
        long smallest = -1;
        long largest = -1;
        String creator = "";
        BlockIterator iterator = block.iterator(java.util.Arrays::compareUnsigned);
        for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
            String name = new String(iterator.key(), StandardCharsets.UTF_8);
            byte[] value = iterator.value();
            switch (name) {
                case CREATOR_KEY -> creator = new String(value, StandardCharsets.UTF_8);
                case DATA_BLOCKS_KEY -> dataBlocks = number(block, name, value);
                case ENTRIES_KEY -> entries = number(block, name, value);
                case RAW_KEY_BYTES_KEY -> keyBytes = number(block, name, value);
                case RAW_VALUE_BYTES_KEY -> valueBytes = number(block, name, value);
                case LARGEST_SEQUENCE_KEY -> largest = number(block, name, value);
                case SMALLEST_SEQUENCE_KEY -> smallest = number(block, name, value);
                default -> { } // a property of a later version
            }
        }
        return new TableProperties(entries, dataBlocks, keyBytes, valueBytes, smallest, largest, creator);
    }

    private static long number(Block block, String name, byte[] value) throws CorruptionException {
        ByteBuf in = Unpooled.wrappedBuffer(value);
        long number;
        try {
            number = Varint.readVarint64(in);
        } catch (CorruptionException e) {
            throw block.corruption("property " + name + ": " + e.reason());
        }
        if (in.isReadable() || number < 0) {
            throw block.corruption("property " + name + " is not one varint64");
        }
        return number;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] varint(long value) {
        byte[] bytes = new byte[Varint.encodedLength(value)];
        Varint.putVarint64(bytes, 0, value);
        return bytes;
    }
}
