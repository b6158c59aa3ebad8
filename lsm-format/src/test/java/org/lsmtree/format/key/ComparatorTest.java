package org.lsmtree.format.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

class ComparatorTest {
    private final BytewiseComparator bytewise = BytewiseComparator.INSTANCE;

    @Test
    void bytewiseIsNamedAsLevelDbNamesIt() {
        assertThat(bytewise.name()).isEqualTo("leveldb.BytewiseComparator");
    }

    @Test
    void bytewiseTreatsBytesAsUnsignedAndPrefixesFirst() {
        assertThat(bytewise.compare(new byte[] {(byte) 0x80}, new byte[] {0x7f})).isPositive();
        assertThat(bytewise.compare(new byte[] {1}, new byte[] {1, 0})).isNegative();
        assertThat(bytewise.compare(new byte[0], new byte[0])).isZero();
    }

    @Test
    void separatorsAndSuccessorsAreShortenedAsLevelDbDoes() {
        assertThat(bytewise.findShortestSeparator(bytes("abcdefg"), bytes("abzz"))).isEqualTo(bytes("abd"));
        assertThat(bytewise.findShortestSeparator(bytes("abc"), bytes("abcd"))).isEqualTo(bytes("abc"));
        assertThat(bytewise.findShortestSeparator(bytes("abc1"), bytes("abc2"))).isEqualTo(bytes("abc1"));
        assertThat(bytewise.findShortSuccessor(bytes("abc"))).isEqualTo(bytes("b"));
        assertThat(bytewise.findShortSuccessor(new byte[] {(byte) 0xff, (byte) 0xff, 3}))
                .containsExactly(0xff, 0xff, 4);
        assertThat(bytewise.findShortSuccessor(new byte[] {(byte) 0xff})).containsExactly(0xff);
    }

    @Test
    void separatorLiesBetweenItsBounds() {
        SeededCases.check(1000, random -> {
            byte[][] pair = distinctPair(random);
            separatorLiesBetween(pair[0], pair[1]);
        });
    }

    @Test
    void internalSeparatorLiesBetweenItsBounds() {
        SeededCases.check(1000, random -> {
            byte[][] pair = distinctPair(random);
            internalSeparatorLiesBetween(pair[0], pair[1]);
        });
    }

    /** Two different keys, half the time sharing a prefix (where separators get interesting). */
    private static byte[][] distinctPair(SeededRandom random) {
        byte[] a = random.key();
        byte[] b;
        do {
            b = random.nextBoolean() ? random.keyNear(a) : random.key();
        } while (Arrays.equals(a, b));
        return new byte[][] {a, b};
    }

    private void separatorLiesBetween(byte[] a, byte[] b) {
        byte[] start = bytewise.compare(a, b) < 0 ? a : b;
        byte[] limit = start == a ? b : a;
        byte[] separator = bytewise.findShortestSeparator(start, limit);
        assertThat(bytewise.compare(start, separator)).isLessThanOrEqualTo(0);
        assertThat(bytewise.compare(separator, limit)).isNegative();
        assertThat(separator.length).isLessThanOrEqualTo(start.length);
        byte[] successor = bytewise.findShortSuccessor(start);
        assertThat(bytewise.compare(start, successor)).isLessThanOrEqualTo(0);
    }

    private void internalSeparatorLiesBetween(byte[] a, byte[] b) {
        InternalKeyComparator comparator = new InternalKeyComparator(bytewise);
        byte[] x = InternalKey.encode(a, 100, ValueType.PUT);
        byte[] y = InternalKey.encode(b, 50, ValueType.DELETE);
        byte[] start = comparator.compare(x, y) < 0 ? x : y;
        byte[] limit = start == x ? y : x;
        byte[] separator = comparator.findShortestSeparator(start, limit);
        assertThat(comparator.compare(start, separator)).isLessThanOrEqualTo(0);
        assertThat(comparator.compare(separator, limit)).isNegative();
        assertThat(comparator.compare(start, comparator.findShortSuccessor(start))).isLessThanOrEqualTo(0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
