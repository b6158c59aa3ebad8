package org.lsmtree.format;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Turns values of one on-disk structure into bytes and back, exactly as LevelDB lays them out.
 * Every format module has one codec per structure (a write batch, a block handle, a version
 * edit). Implementations are stateless and thread-safe.
 *
 * <p>Decoding checks every length against the bytes present before allocating, and reports
 * damage as a {@link CorruptionException} whose offset is relative to the start of the bytes it
 * was given; the caller that knows the file relocates it with
 * {@link CorruptionException#locatedAt(String, long)}.
 *
 * @param <T> the decoded form
 */
public interface Codec<T> {

    /**
     * Appends the encoding of {@code value} to {@code out}, advancing its writer index. The caller
     * owns {@code out}.
     */
    void encode(T value, ByteBuf out);

    /**
     * Decodes one value from all the readable bytes of {@code in}, advancing its reader index to
     * the end. Trailing bytes the structure does not account for are a corruption. The caller owns
     * {@code in}.
     */
    T decode(ByteBuf in) throws CorruptionException;

    /** The encoding of {@code value} as a new array. */
    default byte[] encode(T value) {
        ByteBuf out = Unpooled.buffer();
        try {
            encode(value, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** Decodes {@code bytes} whole. */
    default T decode(byte[] bytes) throws CorruptionException {
        return decode(Unpooled.wrappedBuffer(bytes));
    }
}
