package org.lsmtree.format.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

class InternalKeyTest {

    /**
     * Up to 255 keys: user keys of up to 6 bytes, half of them repeating an earlier one (so equal
     * user keys meet); sequences small (0 to 20) or anywhere up to 2^56 - 1; every value type.
     */
    private static List<InternalKey> keys(SeededRandom random, int maxCount) {
        List<InternalKey> keys = new ArrayList<>();
        for (int i = random.intBetween(1, maxCount); i > 0; i--) {
            byte[] userKey = !keys.isEmpty() && random.nextBoolean()
                    ? keys.get(random.nextInt(keys.size())).userKey() : random.anyBytes(6);
            long sequence = random.nextBoolean() ? random.intBetween(0, 20)
                    : random.oneIn(10) ? InternalKey.MAX_SEQUENCE : random.longBetween(0, InternalKey.MAX_SEQUENCE);
            keys.add(new InternalKey(userKey, sequence, random.pick(ValueType.values())));
        }
        return keys;
    }

    @Test
    void encodingRoundTrips() {
        SeededCases.check(1000, random -> encodingRoundTrips(keys(random, 1).get(0)));
    }

    private static void encodingRoundTrips(InternalKey key) throws CorruptionException {
        byte[] encoded = key.encode();
        assertThat(encoded).hasSize(key.userKey().length + InternalKey.TRAILER_SIZE);
        assertThat(InternalKey.decode(encoded)).isEqualTo(key);
        assertThat(InternalKey.userKeyOf(encoded)).isEqualTo(key.userKey());
        assertThat(InternalKey.trailerOf(encoded)).isEqualTo(key.sequence() << 8 | key.type().code());
    }

    @Test
    void comparatorOrdersByUserKeyThenNewestFirst() {
        SeededCases.checkShrinking(1000, random -> keys(random, 255), (keys, random) -> comparatorOrders(keys));
    }

    private static void comparatorOrders(List<InternalKey> keys) {
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
