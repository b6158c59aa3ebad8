package org.lsmtree.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.SeededCases;

class Crc32cTest {

    /** The vectors of RFC 3720 (iSCSI), which LevelDB's crc32c test also uses. */
    @Test
    void matchesPublishedVectors() {
        byte[] data = new byte[32];
        assertThat(Crc32c.compute(data, 0, 32)).isEqualTo(0x8a9136aa);
        java.util.Arrays.fill(data, (byte) 0xff);
        assertThat(Crc32c.compute(data, 0, 32)).isEqualTo(0x62a8ab43);
        for (int i = 0; i < 32; i++) {
            data[i] = (byte) i;
        }
        assertThat(Crc32c.compute(data, 0, 32)).isEqualTo(0x46dd794e);
        for (int i = 0; i < 32; i++) {
            data[i] = (byte) (31 - i);
        }
        assertThat(Crc32c.compute(data, 0, 32)).isEqualTo(0x113fdb5c);
    }

    @Test
    void maskIsLevelDbs() {
        // mask(c) = rotr15(c) + 0xa282ead8, as in LevelDB's crc32c.h.
        assertThat(Crc32c.MASK_DELTA).isEqualTo(0xa282ead8);
        assertThat(Crc32c.mask(0)).isEqualTo(0xa282ead8);
        assertThat(Crc32c.mask(0x00008000)).isEqualTo(0xa282ead8 + 1);
        byte[] foo = "foo".getBytes(StandardCharsets.US_ASCII);
        int crc = Crc32c.compute(foo, 0, foo.length);
        assertThat(Crc32c.mask(crc)).isNotEqualTo(crc);
        assertThat(Crc32c.mask(Crc32c.mask(crc))).isNotEqualTo(crc);
    }

    @Test
    void unmaskUndoesMask() {
        SeededCases.check(1000, random -> {
            int crc = random.anyInt();
            assertThat(Crc32c.unmask(Crc32c.mask(crc))).isEqualTo(crc);
            assertThat(Crc32c.unmask(Crc32c.unmask(Crc32c.mask(Crc32c.mask(crc))))).isEqualTo(crc);
        });
    }

    @Test
    void prefixedAndBufferFormsAgreeWithTheArrayForm() {
        SeededCases.check(1000, random -> formsAgree((byte) random.nextInt(), random.anyBytes(1000)));
    }

    private static void formsAgree(byte first, byte[] data) {
        byte[] joined = new byte[data.length + 1];
        joined[0] = first;
        System.arraycopy(data, 0, joined, 1, data.length);
        int expected = Crc32c.compute(joined, 0, joined.length);
        assertThat(Crc32c.compute(first, data, 0, data.length)).isEqualTo(expected);
        assertThat(Crc32c.compute(first, Unpooled.wrappedBuffer(data))).isEqualTo(expected);
        assertThat(Crc32c.compute(Unpooled.wrappedBuffer(joined))).isEqualTo(expected);
        var direct = Unpooled.directBuffer().writeBytes(joined);
        try {
            assertThat(Crc32c.compute(direct)).isEqualTo(expected);
        } finally {
            direct.release();
        }
    }
}
