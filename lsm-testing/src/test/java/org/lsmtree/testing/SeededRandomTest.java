package org.lsmtree.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeededRandomTest {

    @Test
    void sameSeedDrawsTheSameInputs() {
        SeededRandom a = new SeededRandom(42);
        SeededRandom b = new SeededRandom(42);
        for (int i = 0; i < 200; i++) {
            assertThat(a.key()).isEqualTo(b.key());
            assertThat(a.anyLong()).isEqualTo(b.anyLong());
            assertThat(a.mutations(8, 50, 1000)).isEqualTo(b.mutations(8, 50, 1000));
        }
        assertThat(a.seed()).isEqualTo(42);
    }

    @Test
    void anyLongAndAnyIntReachEveryVarintLengthAndTheExtremes() {
        SeededRandom random = new SeededRandom(1);
        Set<Integer> longLengths = new HashSet<>();
        Set<Integer> intLengths = new HashSet<>();
        Set<Long> extremes = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            long l = random.anyLong();
            longLengths.add(varintLength(l));
            if (l == Long.MIN_VALUE || l == Long.MAX_VALUE || l == -1 || l == 0) {
                extremes.add(l);
            }
            intLengths.add(varintLength(random.anyInt() & 0xffffffffL));
        }
        assertThat(longLengths).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(intLengths).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(extremes).containsExactlyInAnyOrder(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L);
    }

    @Test
    void anyBytesIsSometimesEmptyOneByteOnlyZerosAndOnesOrAsLongAsAllowed() {
        SeededRandom random = new SeededRandom(2);
        boolean empty = false;
        boolean oneByte = false;
        boolean extremeBytes = false;
        boolean nearMax = false;
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = random.anyBytes(1000);
            assertThat(bytes.length).isLessThanOrEqualTo(1000);
            empty |= bytes.length == 0;
            oneByte |= bytes.length == 1;
            extremeBytes |= bytes.length > 8 && onlyZerosAndOnes(bytes);
            nearMax |= bytes.length > 900;
        }
        assertThat(new boolean[] {empty, oneByte, extremeBytes, nearMax}).containsOnly(true);
    }

    @Test
    void keysShareLongPrefixesAndSometimesAreLong() {
        SeededRandom random = new SeededRandom(3);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(random.key());
        }
        int longestShared = 0;
        for (int i = 1; i < keys.size(); i++) {
            longestShared = Math.max(longestShared, sharedPrefix(keys.get(0), keys.get(i)));
            for (int j = 0; j < i; j++) {
                longestShared = Math.max(longestShared, sharedPrefix(keys.get(i), keys.get(j)));
            }
        }
        assertThat(longestShared).isGreaterThanOrEqualTo(100);
        assertThat(keys).anySatisfy(k -> assertThat(k.length).isGreaterThan(64));
        byte[] near = random.keyNear(keys.get(0));
        assertThat(near).isNotNull();
    }

    @Test
    void betweenStaysWithinItsBoundsOverAnyRange() {
        SeededRandom random = new SeededRandom(4);
        for (int i = 0; i < 1000; i++) {
            assertThat(random.intBetween(-3, 3)).isBetween(-3, 3);
            assertThat(random.longBetween(Long.MAX_VALUE - 2, Long.MAX_VALUE)).isGreaterThanOrEqualTo(Long.MAX_VALUE - 2);
            assertThat(random.longBetween(-10, Long.MAX_VALUE)).isGreaterThanOrEqualTo(-10);
            assertThat(random.lengthUpTo(5)).isBetween(0, 5);
        }
        random.longBetween(Long.MIN_VALUE, Long.MAX_VALUE); // the whole range is allowed
        assertThatThrownBy(() -> random.intBetween(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void weightedNeverPicksAZeroWeight() {
        SeededRandom random = new SeededRandom(5);
        for (int i = 0; i < 1000; i++) {
            assertThat(random.weighted(3, 0, 1)).isIn(0, 2);
        }
    }

    @Test
    void mutationsAreEqualByContentAndPrintShort() {
        Mutation put = new Mutation(new byte[] {1, 2}, new byte[40]);
        assertThat(put).isEqualTo(new Mutation(new byte[] {1, 2}, new byte[40])).hasSameHashCodeAs(
                new Mutation(new byte[] {1, 2}, new byte[40]));
        assertThat(put).isNotEqualTo(new Mutation(new byte[] {1, 2}, null));
        assertThat(put.toString()).isEqualTo("put [0102] = [00000000000000000000000000000000... 40 bytes]");
        assertThat(new Mutation(new byte[0], null)).hasToString("delete []");
        assertThatThrownBy(() -> new Mutation(null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int varintLength(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value);
        return Math.max(1, (bits + 6) / 7);
    }

    private static boolean onlyZerosAndOnes(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0 && b != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    private static int sharedPrefix(byte[] a, byte[] b) {
        int mismatch = java.util.Arrays.mismatch(a, b);
        return mismatch < 0 ? a.length : mismatch;
    }
}
