package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.sstable.TableFixtures.b;
import static org.lsmtree.sstable.TableFixtures.describe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

class TableRoundTripTest {
    /**
     * Sorted sets of up to 400 keys (empty, short binary, sharing 1- to 300-byte prefixes, up to
     * 1 KiB long) with compressible values, written with random restart intervals (1 to 20),
     * block sizes (64 to 4096), compression and bloom bits (0 to 14). A failing key set is shrunk
     * to the fewest keys that still fail.
     */
    @Test
    void randomSortedKeySetsReadBackBothWaysAndSeekEverywhere() {
        SeededCases.checkShrinking(60, TableRoundTripTest::keySet, TableRoundTripTest::readsBackEveryWay);
    }

    private static List<byte[]> keySet(SeededRandom random) {
        NavigableMap<byte[], byte[]> unique = TableFixtures.sortedMap();
        for (int n = random.nextBoolean() ? random.intBetween(0, 400) : random.lengthUpTo(400); n > 0; n--) {
            byte[] key = random.key();
            unique.put(key, key);
        }
        return new ArrayList<>(unique.keySet());
    }

    private static void readsBackEveryWay(List<byte[]> keys, SeededRandom random) throws IOException {
        NavigableMap<byte[], byte[]> entries = TableFixtures.sortedMap();
        for (byte[] key : keys) {
            byte[] value = new byte[random.nextInt(40)];
            Arrays.fill(value, (byte) random.nextInt(4)); // compressible
            entries.put(key, value);
        }
        TableOptions options = TableFixtures.PLAIN.withRestartInterval(random.intBetween(1, 20))
                .withBlockSize(random.intBetween(64, 4096))
                .withCompression(random.nextBoolean() ? Compression.SNAPPY : Compression.NONE)
                .withBloomBitsPerKey(random.intBetween(0, 14)).withVerifyChecksums(true);
        checkRoundTrip(options, entries);
    }

    @Test
    void emptyTableHasNoEntriesAndFindsNothing() throws IOException {
        checkRoundTrip(TableFixtures.PLAIN, TableFixtures.sortedMap());
    }

    @Test
    void oneKeyTableFindsItsKeyAndNothingElse() throws IOException {
        NavigableMap<byte[], byte[]> entries = TableFixtures.sortedMap();
        entries.put(b("only"), b("one"));
        checkRoundTrip(TableFixtures.PLAIN, entries);
    }

    @Test
    void oneMebibyteValuesRoundTripCompressedAndNot() throws IOException {
        NavigableMap<byte[], byte[]> entries = TableFixtures.sortedMap();
        Random random = new Random(3);
        for (int i = 0; i < 3; i++) {
            byte[] value = new byte[1 << 20];
            random.nextBytes(value);
            if (i == 1) {
                Arrays.fill(value, (byte) 7);
            }
            entries.put(b("big" + i), value);
        }
        checkRoundTrip(TableFixtures.PLAIN, entries);
        checkRoundTrip(TableFixtures.PLAIN.withCompression(Compression.SNAPPY), entries);
    }

    @Test
    void fortyThousandInternalKeysRoundTripWithTheDefaults() throws IOException {
        checkRoundTrip(TableOptions.defaults(), TableFixtures.internalEntries(40_000));
    }

    @Test
    void randomBinaryKeysRoundTripWithSnappyAndSmallBlocks() throws IOException {
        checkRoundTrip(TableFixtures.PLAIN.withBlockSize(256).withCompression(Compression.SNAPPY),
                TableFixtures.randomEntries(new Random(9), 5_000, 100));
    }

    /** Writes, then reads every way: scans both ways, get and seek at every key and between keys. */
    static void checkRoundTrip(TableOptions options, NavigableMap<byte[], byte[]> entries) throws IOException {
        Path file = TableFixtures.jimfsFile("000001.ldb");
        Storage storage = TableFixtures.storageOf(file);
        long size = TableFixtures.write(storage, file, options, entries);
        assertThat(storage.size(file)).isEqualTo(size);
        try (TableReader reader = TableReader.open(storage, file, options)) {
            List<String> expected = describe(entries);
            try (InternalIterator iterator = reader.iterator()) {
                assertThat(describe(TableFixtures.scan(iterator))).isEqualTo(expected);
                List<String> reversed = new ArrayList<>(expected);
                Collections.reverse(reversed);
                assertThat(describe(TableFixtures.scanBackward(iterator))).isEqualTo(reversed);
                for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
                    byte[] key = entry.getKey();
                    iterator.seek(key);
                    assertThat(iterator.isValid()).isTrue();
                    assertThat(iterator.key()).isEqualTo(key);
                    assertThat(iterator.value()).isEqualTo(entry.getValue());
                    TableEntry found = reader.get(key);
                    assertThat(found).isNotNull();
                    assertThat(found.key()).isEqualTo(key);
                    assertThat(found.value()).isEqualTo(entry.getValue());
                    Map.Entry<byte[], byte[]> before = entries.lowerEntry(key);
                    iterator.prev();
                    assertThat(iterator.isValid()).isEqualTo(before != null);
                    if (before != null) {
                        assertThat(iterator.key()).isEqualTo(before.getKey());
                    }
                    if (!options.internalKeys()) {
                        byte[] between = Arrays.copyOf(key, key.length + 1); // just after key
                        Map.Entry<byte[], byte[]> after = entries.higherEntry(key);
                        iterator.seek(between);
                        assertThat(iterator.isValid()).isEqualTo(after != null);
                        if (after != null) {
                            assertThat(iterator.key()).isEqualTo(after.getKey());
                        }
                    }
                }
            }
        }
    }
}
