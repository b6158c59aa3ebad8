package org.lsmtree.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.SeededCases;

class VarintTest {
    /** Random cases per property (times -Dlsm.cases.multiplier). */
    private static final int CASES = 1000;

    @Test
    void varint32RoundTripsOnByteBufAndArray() {
        SeededCases.check(CASES, random -> varint32RoundTrips(random.anyInt()));
    }

    private static void varint32RoundTrips(int value) throws CorruptionException {
        ByteBuf buf = Unpooled.buffer();
        Varint.writeVarint32(buf, value);
        assertThat(buf.readableBytes()).isEqualTo(Varint.encodedLength(value & 0xffffffffL));
        byte[] array = new byte[Varint.MAX_VARINT32_SIZE];
        int end = Varint.putVarint32(array, 0, value);
        assertThat(end).isEqualTo(buf.readableBytes());
        assertThat(java.util.Arrays.copyOf(array, end)).isEqualTo(io.netty.buffer.ByteBufUtil.getBytes(buf));
        assertThat(Varint.getVarint32(array, 0, end)).isEqualTo(value);
        assertThat(Varint.lengthAt(array, 0, end)).isEqualTo(end);
        long packed = Varint.getVarint32WithLength(array, 0, end);
        assertThat((int) packed).isEqualTo(value);
        assertThat((int) (packed >>> 32)).isEqualTo(end);
        assertThat(Varint.readVarint32(buf)).isEqualTo(value);
        assertThat(buf.isReadable()).isFalse();
    }

    @Test
    void varint64RoundTripsOnByteBufAndArray() {
        SeededCases.check(CASES, random -> varint64RoundTrips(random.anyLong()));
    }

    private static void varint64RoundTrips(long value) throws CorruptionException {
        ByteBuf buf = Unpooled.buffer();
        Varint.writeVarint64(buf, value);
        byte[] array = new byte[Varint.MAX_VARINT64_SIZE];
        int end = Varint.putVarint64(array, 0, value);
        assertThat(end).isEqualTo(buf.readableBytes()).isEqualTo(Varint.encodedLength(value));
        assertThat(Varint.getVarint64(array, 0, end)).isEqualTo(value);
        assertThat(Varint.readVarint64(buf)).isEqualTo(value);
    }

    @Test
    void everyTruncationOfAVarintIsACorruption() {
        SeededCases.check(CASES, random -> everyTruncationIsACorruption(random.anyLong()));
    }

    private static void everyTruncationIsACorruption(long value) {
        byte[] array = new byte[Varint.MAX_VARINT64_SIZE];
        int end = Varint.putVarint64(array, 0, value);
        for (int cut = 0; cut < end; cut++) {
            int limit = cut;
            assertThatThrownBy(() -> Varint.getVarint64(array, 0, limit))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("truncated");
            assertThatThrownBy(() -> Varint.readVarint64(Unpooled.wrappedBuffer(array, 0, limit)))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void knownEncodings() throws CorruptionException {
        assertThat(encode32(0)).containsExactly(0x00);
        assertThat(encode32(127)).containsExactly(0x7f);
        assertThat(encode32(128)).containsExactly(0x80, 0x01);
        assertThat(encode32(300)).containsExactly(0xac, 0x02);
        assertThat(encode32(-1)).containsExactly(0xff, 0xff, 0xff, 0xff, 0x0f);
        assertThat(Varint.encodedLength(-1L)).isEqualTo(10);
    }

    @Test
    void overLongVarintsAreCorruptions() {
        byte[] sixBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
        assertThatThrownBy(() -> Varint.getVarint32(sixBytes, 0, sixBytes.length))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("longer than 5");
        assertThatThrownBy(() -> Varint.readVarint32(Unpooled.wrappedBuffer(sixBytes)))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("longer than 5");
        assertThatThrownBy(() -> Varint.getVarint32WithLength(sixBytes, 0, sixBytes.length))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("longer than 5");
        byte[] elevenBytes = new byte[11];
        java.util.Arrays.fill(elevenBytes, 0, 10, (byte) 0x80);
        assertThatThrownBy(() -> Varint.getVarint64(elevenBytes, 0, 11))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("longer than 10");
    }

    @Test
    void bitsBeyondTheIntegerAreCorruptions() {
        byte[] thirtyThreeBits = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x1f};
        assertThatThrownBy(() -> Varint.getVarint32(thirtyThreeBits, 0, 5))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("overflows 32");
        assertThatThrownBy(() -> Varint.getVarint32WithLength(thirtyThreeBits, 0, 5))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("overflows 32");
        byte[] sixtyFiveBits = new byte[10];
        java.util.Arrays.fill(sixtyFiveBits, 0, 9, (byte) 0xff);
        sixtyFiveBits[9] = 0x02;
        assertThatThrownBy(() -> Varint.getVarint64(sixtyFiveBits, 0, 10))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("overflows 64");
    }

    @Test
    void nonCanonicalPaddingIsAcceptedAsLevelDbDoes() throws CorruptionException {
        byte[] paddedOne = {(byte) 0x81, (byte) 0x80, 0x00};
        assertThat(Varint.getVarint32(paddedOne, 0, 3)).isEqualTo(1);
        assertThat(Varint.lengthAt(paddedOne, 0, 3)).isEqualTo(3);
    }

    @Test
    void corruptionOffsetIsWhereTheVarintStarts() {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, (byte) 0x80});
        buf.skipBytes(3);
        assertThatThrownBy(() -> Varint.readVarint32(buf))
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertThat(e.offset()).isEqualTo(3));
    }

    @Test
    void lengthPrefixedSlicesRoundTrip() {
        SeededCases.check(CASES, random -> lengthPrefixedRoundTrips(random.oneIn(100) ? random.hugeBytes()
                : random.anyBytes(1000)));
    }

    private static void lengthPrefixedRoundTrips(byte[] bytes) throws CorruptionException {
        ByteBuf buf = Unpooled.buffer();
        Varint.writeLengthPrefixed(buf, bytes);
        Varint.writeLengthPrefixed(buf, bytes);
        assertThat(Varint.readLengthPrefixed(buf)).isEqualTo(bytes);
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(Varint.readLengthPrefixedSlice(buf))).isEqualTo(bytes);
        assertThat(buf.isReadable()).isFalse();
    }

    @Test
    void hostileLengthIsRejectedBeforeAllocating() {
        ByteBuf buf = Unpooled.buffer();
        Varint.writeVarint32(buf, -1); // 4 GiB - 1
        buf.writeBytes(new byte[100]);
        assertThatThrownBy(() -> Varint.readLengthPrefixed(buf))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("claims 4294967295 bytes but only 100 follow");
    }

    @Test
    void fixedIntegersAreLittleEndian() {
        SeededCases.check(CASES, random -> fixedIntegersRoundTrip(random.anyInt(), random.anyLong()));
    }

    private static void fixedIntegersRoundTrip(int i, long l) throws CorruptionException {
        byte[] array = new byte[12];
        LittleEndian.putFixed32(array, 0, i);
        LittleEndian.putFixed64(array, 4, l);
        ByteBuf buf = Unpooled.buffer().writeIntLE(i).writeLongLE(l);
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(buf)).isEqualTo(array);
        assertThat(LittleEndian.getFixed32(array, 0)).isEqualTo(i);
        assertThat(LittleEndian.getFixed64(array, 4)).isEqualTo(l);
        assertThat(LittleEndian.readFixed32(buf)).isEqualTo(i);
        assertThat(LittleEndian.readFixed64(buf)).isEqualTo(l);
    }

    @Test
    void fixedReadPastTheEndIsACorruption() {
        assertThatThrownBy(() -> LittleEndian.readFixed64(Unpooled.wrappedBuffer(new byte[7])))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("truncated fixed64");
        assertThat(new byte[] {0x04, 0x03, 0x02, 0x01}).satisfies(
                b -> assertThat(LittleEndian.getFixed32(b, 0)).isEqualTo(0x01020304));
    }

    private static int[] encode32(int value) {
        byte[] array = new byte[5];
        int end = Varint.putVarint32(array, 0, value);
        int[] unsigned = new int[end];
        for (int i = 0; i < end; i++) {
            unsigned[i] = array[i] & 0xff;
        }
        return unsigned;
    }
}
