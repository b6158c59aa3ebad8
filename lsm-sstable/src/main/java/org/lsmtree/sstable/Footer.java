package org.lsmtree.sstable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;

/**
 * The last {@value SstableFormat#FOOTER_SIZE} bytes of a table: the metaindex handle, the index
 * handle, zero padding to 40 bytes, and the magic number.
 *
 * <pre>
 * +-------------------+---------------+-----------+----------------------+
 * | metaindex handle  | index handle  | 0x00 pad  | magic (fixed64)      |
 * +-------------------+---------------+-----------+----------------------+
 * |&lt;------------------ 40 bytes ----------------&gt;|&lt;------ 8 bytes -----&gt;|
 * </pre>
 *
 * The padding is not checked on read (LevelDB does not either). An immutable value.
 */
record Footer(BlockHandle metaindex, BlockHandle index) {

    /** The 48 footer bytes. */
    byte[] encode() {
        byte[] bytes = new byte[SstableFormat.FOOTER_SIZE];
        ByteBuf out = Unpooled.wrappedBuffer(bytes).writerIndex(0);
        metaindex.encodeTo(out);
        index.encodeTo(out);
        LittleEndian.putFixed64(bytes, SstableFormat.FOOTER_SIZE - 8, SstableFormat.MAGIC);
        return bytes;
    }

    /**
     * Decodes the 48 bytes of a footer. A wrong magic or a handle that does not decode within the
     * 40 handle bytes is a corruption with an offset relative to the footer's first byte.
     */
    static Footer decode(byte[] bytes) throws CorruptionException {
        if (bytes.length != SstableFormat.FOOTER_SIZE) {
            throw CorruptionException.atOffset(0, "footer of " + bytes.length + " bytes, not 48");
        }
        long magic = LittleEndian.getFixed64(bytes, SstableFormat.FOOTER_SIZE - 8);
        if (magic != SstableFormat.MAGIC) {
            throw CorruptionException.atOffset(SstableFormat.FOOTER_SIZE - 8,
                    String.format("bad table magic 0x%016x (expected 0x%016x): not a table", magic, SstableFormat.MAGIC));
        }
        ByteBuf in = Unpooled.wrappedBuffer(bytes, 0, SstableFormat.FOOTER_SIZE - 8);
        BlockHandle metaindex = BlockHandle.decodeFrom(in);
        BlockHandle index = BlockHandle.decodeFrom(in);
        return new Footer(metaindex, index);
    }
}
