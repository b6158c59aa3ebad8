package org.lsmtree.format.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

/**
 * The merge of random sorted sources walked by random moves (next, prev, seeks) always sits where
 * a single sorted map of all their entries would.
 */
class MergingIteratorTest {

    @Test
    void randomWalksAgreeWithOneSortedMap() {
        SeededCases.check(300, MergingIteratorTest::randomWalkAgrees);
    }

    private static void randomWalkAgrees(SeededRandom random) throws IOException {
        TreeMap<byte[], byte[]> all = new TreeMap<>(Arrays::compareUnsigned);
        List<InternalIterator> children = new ArrayList<>();
        int sources = 1 + random.nextInt(5);
        for (int s = 0; s < sources; s++) {
            TreeMap<byte[], byte[]> source = new TreeMap<>(Arrays::compareUnsigned);
            int n = random.nextInt(20);
            for (int i = 0; i < n; i++) {
                byte[] key = {(byte) random.nextInt(60)};
                if (!all.containsKey(key)) { // distinct keys across sources, as internal keys are
                    source.put(key, new byte[] {(byte) s});
                    all.put(key, new byte[] {(byte) s});
                }
            }
            children.add(new NavigableMapIterator(source));
        }
        try (MergingIterator merged = new MergingIterator(Arrays::compareUnsigned, children)) {
            NavigableMapIterator model = new NavigableMapIterator(all);
            for (int step = 0; step < 200; step++) {
                int move = random.nextInt(6);
                if ((move == 0 || move == 1) && !model.isValid()) {
                    move = 2;
                }
                switch (move) {
                    case 0 -> { merged.next(); model.next(); }
                    case 1 -> { merged.prev(); model.prev(); }
                    case 2 -> { merged.seekToFirst(); model.seekToFirst(); }
                    case 3 -> { merged.seekToLast(); model.seekToLast(); }
                    default -> {
                        byte[] target = {(byte) random.nextInt(64)};
                        merged.seek(target);
                        model.seek(target);
                    }
                }
                assertThat(merged.isValid()).as("step %d", step).isEqualTo(model.isValid());
                if (model.isValid()) {
                    assertThat(merged.key()).as("step %d", step).isEqualTo(model.key());
                    assertThat(merged.value()).isEqualTo(model.value());
                }
            }
        }
    }
}
