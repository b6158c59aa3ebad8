package org.lsmtree.format.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;

class InternalKeyTest {

    @Provide
    Arbitrary<InternalKey> keys() {
        Arbitrary<byte[]> userKeys = Arbitraries.bytes().array(byte[].class).ofMaxSize(6);
        Arbitrary<Long> sequences = Arbitraries.oneOf(Arbitraries.longs().between(0, 20),
                Arbitraries.longs().between(0, InternalKey.MAX_SEQUENCE));
        return Combinators.combine(userKeys, sequences, Arbitraries.of(ValueType.class)).as(InternalKey::new);
    }

    @Property
    void encodingRoundTrips(@ForAll("keys") InternalKey key) throws CorruptionException {
        byte[] encoded = key.encode();
        assertThat(encoded).hasSize(key.userKey().length + InternalKey.TRAILER_SIZE);
        assertThat(InternalKey.decode(encoded)).isEqualTo(key);
        assertThat(InternalKey.userKeyOf(encoded)).isEqualTo(key.userKey());
        assertThat(InternalKey.trailerOf(encoded)).isEqualTo(key.sequence() << 8 | key.type().code());
    }

    @Property
    void comparatorOrdersByUserKeyThenNewestFirst(@ForAll List<@net.jqwik.api.From("keys") InternalKey> keys) {
        InternalKeyComparator comparator = new InternalKeyComparator(BytewiseComparator.INSTANCE);
        List<byte[]> encoded = new ArrayList<>();
        keys.forEach(k -> encoded.add(k.encode()));
        encoded.sort(comparator);
        List<InternalKey> expected = new ArrayList<>(keys);
        expected.sort(Comparator.<InternalKey, byte[]>comparing(InternalKey::userKey, Arrays::compareUnsigned)
                .thenComparing(InternalKey::sequence, Comparator.reverseOrder())
                .thenComparing(k -> k.type().code(), Comparator.reverseOrder()));
        List<byte[]> expectedEncoded = expected.stream().map(InternalKey::encode).toList();
        assertThat(encoded).containsExactlyElementsOf(expectedEncoded);
    }

    @Test
    void trailerLayoutIsSequenceShiftedPlusType() {
        byte[] encoded = InternalKey.encode(new byte[] {'k'}, 0x0102030405L, ValueType.PUT);
        assertThat(encoded).containsExactly('k', 0x01, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00, 0x00);
        assertThat(InternalKey.MAX_SEQUENCE).isEqualTo(72057594037927935L);
        assertThat(ValueType.DELETE.code()).isZero();
        assertThat(ValueType.PUT.code()).isEqualTo(1);
        assertThat(ValueType.fromCode(2)).isNull();
    }

    @Test
    void sequenceOutsideFiftySixBitsIsTheCallersMistake() {
        assertThatThrownBy(() -> new InternalKey(new byte[0], InternalKey.MAX_SEQUENCE + 1, ValueType.PUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InternalKey.packTrailer(-1, ValueType.PUT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortKeyOrUnknownTypeFromDiskIsACorruption() {
        assertThatThrownBy(() -> InternalKey.decode(new byte[7]))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("shorter than its 8-byte trailer");
        byte[] badType = InternalKey.encode(new byte[] {1}, 5, ValueType.PUT);
        badType[1] = 7;
        assertThatThrownBy(() -> InternalKey.decode(badType))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("unknown value type 7");
    }

    @Test
    void maxSequenceSortsFirstForItsUserKey() {
        InternalKeyComparator comparator = new InternalKeyComparator(BytewiseComparator.INSTANCE);
        byte[] newest = InternalKey.encode(new byte[] {5}, InternalKey.MAX_SEQUENCE, ValueType.FOR_SEEK);
        byte[] older = InternalKey.encode(new byte[] {5}, InternalKey.MAX_SEQUENCE - 1, ValueType.PUT);
        byte[] delete = InternalKey.encode(new byte[] {5}, 9, ValueType.DELETE);
        byte[] put = InternalKey.encode(new byte[] {5}, 9, ValueType.PUT);
        assertThat(comparator.compare(newest, older)).isNegative();
        assertThat(comparator.compare(put, delete)).isNegative();
        assertThat(comparator.compare(InternalKey.encode(new byte[] {4}, 0, ValueType.DELETE), newest)).isNegative();
    }
}
