package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.wal.WriteBatchTest.b;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.testing.Mutation;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

class WriteBatchCodecTest {
    private final WriteBatchCodec codec = WriteBatchCodec.INSTANCE;

    /**
     * Batches of up to 8 puts and deletes (keys and values empty, one byte, binary, sharing
     * prefixes, long, and one in 16 of 1 MiB) at sequences from 0 to 2^40; a failing batch is
     * shrunk to the fewest operations that still fail.
     */
    @Test
    void batchesRoundTrip() {
        SeededCases.checkShrinking(500, random -> random.mutations(8, 100, 16),
                (ops, random) -> roundTrips(ops, sequence(random)));
    }

    private static long sequence(SeededRandom random) {
        return random.oneIn(10) ? random.pick(0L, 1L << 40) : random.longBetween(0, 1L << 40);
    }

    private void roundTrips(List<Mutation> ops, long sequence) throws CorruptionException {
        SequencedBatch written = new SequencedBatch(sequence, WalFixtures.batchOf(ops));
        byte[] encoded = codec.encode(written);
        assertThat(encoded).hasSize(written.batch().approximateSize());
        SequencedBatch read = codec.decode(encoded);
        assertThat(read.sequence()).isEqualTo(sequence);
        assertThat(read.batch().count()).isEqualTo(ops.size());
        assertThat(WalFixtures.ops(read.batch())).containsExactlyElementsOf(ops);
        assertThat(read.batch().putCount()).isEqualTo((int) ops.stream().filter(Mutation::isPut).count());
    }

    @Test
    void layoutIsLevelDbsExactly() {
        WriteBatch batch = new WriteBatch().put(b("k1"), b("v")).delete(b("k2"));
        byte[] encoded = codec.encode(new SequencedBatch(0x0102, batch));
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(
                "0201000000000000" + "02000000" + "01" + "02" + "6b31" + "01" + "76" + "00" + "02" + "6b32");
    }

    @Test
    void encodingIntoAByteBufAppends() throws CorruptionException {
        ByteBuf out = Unpooled.buffer().writeByte(7);
        try {
            codec.encode(new SequencedBatch(9, new WriteBatch().put(b("a"), b("b"))), out);
            out.skipBytes(1);
            assertThat(codec.decode(out).sequence()).isEqualTo(9);
        } finally {
            out.release();
        }
    }

    @Test
    void shortHeaderIsACorruption() {
        assertThatThrownBy(() -> codec.decode(new byte[11]))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("shorter than its 12-byte header");
    }

    @Test
    void countThatDisagreesWithTheEntriesIsACorruption() {
        byte[] encoded = encoded(new WriteBatch().put(b("a"), b("1")).put(b("b"), b("2")));
        encoded[8] = 3;
        assertThatThrownBy(() -> codec.decode(encoded)).isInstanceOfSatisfying(CorruptionException.class,
                e -> assertThat(e.reason()).contains("counts 3 entries but the record holds 2"));
        encoded[8] = 1;
        assertThatThrownBy(() -> codec.decode(encoded)).hasMessageContaining("counts 1 entries but the record holds 2");
    }

    @Test
    void lengthPastTheEndOfTheRecordIsACorruptionAtItsEntry() {
        byte[] encoded = encoded(new WriteBatch().put(b("a"), b("1")).put(b("bb"), b("2")));
        encoded[12 + 5 + 1] = 100; // second entry's key length
        assertThatThrownBy(() -> codec.decode(encoded)).isInstanceOfSatisfying(CorruptionException.class, e -> {
            assertThat(e.offset()).isEqualTo(12 + 5);
            assertThat(e.reason()).contains("key of 100 bytes reaches past the end");
        });
    }

    @Test
    void fourGibLengthInATinyRecordAllocatesNothing() {
        byte[] encoded = encoded(new WriteBatch().put(b("a"), b("1")));
        byte[] hostile = java.util.Arrays.copyOf(encoded, 100);
        // Rewrite the value length as varint32 0xffffffff (5 bytes) at the value's prefix.
        hostile[12 + 3] = (byte) 0xff;
        hostile[12 + 4] = (byte) 0xff;
        hostile[12 + 5] = (byte) 0xff;
        hostile[12 + 6] = (byte) 0xff;
        hostile[12 + 7] = 0x0f;
        assertThatThrownBy(() -> codec.decode(hostile))
                .hasMessageContaining("value of 4294967295 bytes reaches past the end");
    }

    @Test
    void unknownTagIsACorruption() {
        byte[] encoded = encoded(new WriteBatch().put(b("a"), b("1")).delete(b("b")));
        encoded[12 + 5] = 2;
        assertThatThrownBy(() -> codec.decode(encoded)).isInstanceOfSatisfying(CorruptionException.class, e -> {
            assertThat(e.offset()).isEqualTo(17);
            assertThat(e.reason()).isEqualTo("unknown write batch tag 2");
        });
    }

    @Test
    void sequencesBeyondFiftySixBitsAreACorruption() {
        WriteBatch two = new WriteBatch().put(b("a"), b("1")).put(b("b"), b("2"));
        byte[] encoded = encoded(two);
        org.lsmtree.format.LittleEndian.putFixed64(encoded, 0, InternalKey.MAX_SEQUENCE);
        assertThatThrownBy(() -> codec.decode(encoded)).hasMessageContaining("exceeds 2^56 - 1");
        assertThatThrownBy(() -> new SequencedBatch(InternalKey.MAX_SEQUENCE, two))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodedBatchDoesNotShareTheCallersArray() throws CorruptionException {
        byte[] encoded = encoded(new WriteBatch().put(b("a"), b("1")));
        SequencedBatch read = codec.decode(encoded);
        encoded[15] = 'z';
        assertThat(WalFixtures.ops(read.batch())).containsExactly(new Mutation(b("a"), b("1")));
    }

    private byte[] encoded(WriteBatch batch) {
        return codec.encode(new SequencedBatch(5, batch));
    }
}
