package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

/**
 * What a version lays out for lookups answers as the files themselves would: level 0 newest file
 * first, user-key ranges that include both ends, and the binary search of a deeper level landing
 * on the first file a linear scan would.
 */
class LevelFilesTest {
    private static final InternalKeyComparator ORDER = new InternalKeyComparator(BytewiseComparator.INSTANCE);

    @Test
    void levelZeroIsNewestFirstWhateverTheOrderGiven() {
        LevelFiles zero = LevelFiles.newestFirst(List.of(file(4, 10, 20), file(9, 0, 5), file(6, 30, 40)), null);
        assertThat(List.of(zero.file(0).number(), zero.file(1).number(), zero.file(2).number()))
                .containsExactly(9L, 6L, 4L);
    }

    @Test
    void rangesIncludeBothEndsAndNothingOutside() {
        LevelFiles level = LevelFiles.inKeyOrder(List.of(file(1, 10, 20)), ORDER, null);
        assertThat(level.covers(0, user(10), BytewiseComparator.INSTANCE)).isTrue();
        assertThat(level.covers(0, user(20), BytewiseComparator.INSTANCE)).isTrue();
        assertThat(level.covers(0, user(9), BytewiseComparator.INSTANCE)).isFalse();
        assertThat(level.covers(0, user(21), BytewiseComparator.INSTANCE)).isFalse();
    }

    @Test
    void aNewTablesSeekBudgetIsOneSeekPer16KibAndAtLeast100() {
        assertThat(SeekCompactions.allowedSeeks(0)).isEqualTo(100);
        assertThat(SeekCompactions.allowedSeeks(101 * 16384 - 1)).isEqualTo(100);
        assertThat(SeekCompactions.allowedSeeks(2 << 20)).isEqualTo(128);
        assertThat(SeekCompactions.allowedSeeks(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(LevelFiles.newestFirst(List.of(file(1, 10, 20)), null).allowedSeeks(0)).isEqualTo(100);
    }

    @Test
    void budgetsGoOnForTheFilesTheNextLayoutKeepsAndStartFullForNewOnes() {
        FileMetadata kept = file(1, 10, 20);
        LevelFiles before = LevelFiles.inKeyOrder(List.of(kept, file(2, 30, 40)), ORDER, null);
        before.chargeSeek(0);
        assertThat(before.chargeSeek(0)).isEqualTo(98);
        before.chargeSeek(1);
        LevelFiles after = LevelFiles.inKeyOrder(List.of(kept, file(3, 30, 40)), ORDER, before);
        assertThat(after.allowedSeeks(0)).isEqualTo(98);
        assertThat(after.allowedSeeks(1)).isEqualTo(100);
        after.chargeSeek(0);
        assertThat(before.allowedSeeks(0)).as("one counter, shared").isEqualTo(97);
    }

    @Test
    void aSpentBudgetStaysAtZero() {
        LevelFiles zero = LevelFiles.newestFirst(List.of(file(1, 10, 20)), null);
        for (int n = 99; n >= 0; n--) {
            assertThat(zero.chargeSeek(0)).isEqualTo(n);
        }
        assertThat(zero.chargeSeek(0)).isZero();
        assertThat(zero.allowedSeeks(0)).isZero();
    }

    @Test
    void binarySearchFindsTheFirstFileEndingAtOrAfterTheKey() {
        SeededCases.check(200, LevelFilesTest::searchAgreesWithAScan);
    }

    private static void searchAgreesWithAScan(SeededRandom random) {
        List<FileMetadata> files = new ArrayList<>();
        int key = random.nextInt(5);
        for (int n = random.nextInt(8); n > 0; n--) {
            int start = key + random.nextInt(3);
            int end = start + random.nextInt(4);
            files.add(file(files.size() + 1, start, end));
            key = end + 1;
        }
        LevelFiles level = LevelFiles.inKeyOrder(files, ORDER, null);
        for (int target = 0; target <= key + 2; target++) {
            // Every sequence: a file ending at (k, s) holds older entries of k than a seek at a newer sequence.
            long sequence = random.nextInt(200);
            byte[] seek = InternalKey.encode(user(target), sequence, ValueType.FOR_SEEK);
            int expected = -1;
            for (int i = 0; i < files.size(); i++) {
                if (ORDER.compare(files.get(i).largest(), seek) >= 0) {
                    expected = i;
                    break;
                }
            }
            assertThat(level.firstEndingAtOrAfter(seek, ORDER)).as("target %d @ %d in %s", target, sequence, files)
                    .isEqualTo(expected);
        }
    }

    private static FileMetadata file(long number, int smallest, int largest) {
        return new FileMetadata(number, 100, InternalKey.encode(user(smallest), 100, ValueType.PUT),
                InternalKey.encode(user(largest), 100, ValueType.PUT));
    }

    private static byte[] user(int key) {
        return new byte[] {(byte) key};
    }
}
