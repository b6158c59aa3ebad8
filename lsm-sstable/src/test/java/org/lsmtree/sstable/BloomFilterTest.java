package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.LittleEndian;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class BloomFilterTest {
    private static final Logger LOG = LoggerFactory.getLogger(BloomFilterTest.class);

    private static byte[] key(int i) {
        byte[] key = new byte[4];
        LittleEndian.putFixed32(key, 0, i);
        return key;
    }

    @Test
    void everyAddedKeyMatches() {
        BloomFilter bloom = new BloomFilter(10);
        for (int count : new int[] {1, 10, 1_000, 10_000}) {
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                keys.add(key(i));
            }
            byte[] filter = bloom.create(keys);
            for (byte[] key : keys) {
                assertThat(BloomFilter.mayContain(filter, 0, filter.length, key)).isTrue();
            }
        }
    }

    @Test
    void falsePositiveRateAtTenBitsPerKeyOverAHundredThousandAbsentKeysIsAboutOnePercent() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(key(i));
        }
        byte[] filter = new BloomFilter(10).create(keys);
        int falsePositives = 0;
        int probes = 100_000;
        for (int i = 0; i < probes; i++) {
            if (BloomFilter.mayContain(filter, 0, filter.length, key(1_000_000_000 + i))) {
                falsePositives++;
            }
        }
        double rate = falsePositives / (double) probes;
        LOG.info("bloom false-positive rate at 10 bits/key: {} of {} absent keys = {}%", falsePositives, probes,
                String.format("%.3f", rate * 100));
        assertThat(rate).isBetween(0.002, 0.02);
    }

    @Test
    void sizeIsBitsPerKeyTimesKeysWithASixtyFourBitFloorAndTheProbeCountLast() {
        assertThat(new BloomFilter(10).create(List.of())).hasSize(9).endsWith((byte) 6);
        assertThat(new BloomFilter(10).create(List.of(key(1), key(2), key(3), key(4), key(5), key(6), key(7))))
                .hasSize(10);
        assertThat(new BloomFilter(1).create(List.of(key(1)))).endsWith((byte) 1);
        assertThat(new BloomFilter(100).create(List.of(key(1)))).endsWith((byte) 30);
    }

    @Test
    void shortFiltersMatchNothingAndReservedProbeCountsMatchEverything() {
        assertThat(BloomFilter.mayContain(new byte[] {1}, 0, 1, key(1))).isFalse();
        byte[] reserved = new byte[9];
        reserved[8] = 31;
        assertThat(BloomFilter.mayContain(reserved, 0, 9, key(1))).isTrue();
        byte[] empty = new BloomFilter(10).create(List.of());
        assertThat(BloomFilter.mayContain(empty, 0, empty.length, key(1))).isFalse();
    }

    @Test
    void hashOfTheEmptyStringIsTheSeed() {
        assertThat(BloomFilter.hash(new byte[0], 0, 0)).isEqualTo(SstableFormat.BLOOM_HASH_SEED);
    }
}
