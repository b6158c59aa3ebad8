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
 * a single sorted map of all their entries would; with keys repeated across sources, where one
 * sorted list of (key, source) would; and its views show what its copies hold.
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

    @Test
    void equalKeysAcrossChildrenComeOutInChildOrderWalkingEitherWay() {
        SeededCases.check(300, MergingIteratorTest::walkWithEqualKeysAgrees);
    }

    /** A model entry: key, source index, value; ordered by key, then source. */
    private record Entry(int key, int source) {}

    private static void walkWithEqualKeysAgrees(SeededRandom random) throws IOException {
        List<Entry> all = new ArrayList<>();
        List<InternalIterator> children = new ArrayList<>();
        int sources = 1 + random.nextInt(6);
        for (int s = 0; s < sources; s++) {
            TreeMap<byte[], byte[]> source = new TreeMap<>(Arrays::compareUnsigned);
            int n = random.nextInt(15);
            for (int i = 0; i < n; i++) {
                int key = random.nextInt(12); // few keys: many repeat in other sources
                if (source.put(new byte[] {(byte) key}, new byte[] {(byte) s, (byte) key}) == null) {
                    all.add(new Entry(key, s));
                }
            }
            // Some children show their entries in place, others through the copying defaults.
            children.add(random.nextBoolean() ? new NavigableMapIterator(source)
                    : new CopyingIterator(new NavigableMapIterator(source)));
        }
        all.sort(java.util.Comparator.comparingInt(Entry::key).thenComparingInt(Entry::source));
        Slice key = new Slice();
        Slice value = new Slice();
        try (MergingIterator merged = new MergingIterator(Arrays::compareUnsigned, children)) {
            int at = -1; // the model's position; -1 or all.size() when invalid
            for (int step = 0; step < 200; step++) {
                boolean valid = at >= 0 && at < all.size();
                int move = random.nextInt(6);
                if (move < 2 && !valid) {
                    move = 2 + random.nextInt(4);
                }
                String what;
                switch (move) {
                    case 0 -> { merged.next(); at++; what = "next"; }
                    case 1 -> { merged.prev(); at--; what = "prev"; }
                    case 2 -> { merged.seekToFirst(); at = 0; what = "first"; }
                    case 3 -> { merged.seekToLast(); at = all.size() - 1; what = "last"; }
                    default -> {
                        int target = random.nextInt(14);
                        merged.seek(new byte[] {(byte) target});
                        at = 0;
                        while (at < all.size() && all.get(at).key() < target) {
                            at++;
                        }
                        what = "seek " + target;
                    }
                }
                String context = "step " + step + " (" + what + ") over " + all;
                boolean expected = at >= 0 && at < all.size();
                assertThat(merged.isValid()).as(context).isEqualTo(expected);
                if (expected) {
                    Entry entry = all.get(at);
                    assertThat(merged.key()).as(context).containsExactly(entry.key());
                    assertThat(merged.value()).as(context).containsExactly(entry.source(), entry.key());
                    assertThat(merged.keyView(key).toByteArray()).as(context).containsExactly(entry.key());
                    assertThat(merged.valueView(value).toByteArray()).as(context)
                            .containsExactly(entry.source(), entry.key());
                } else {
                    at = at < 0 ? -1 : all.size();
                }
            }
        }
    }

    /** Implements only what an iterator must, so that views go through the copying defaults. */
    private static final class CopyingIterator implements InternalIterator {
        private final InternalIterator inner;

        CopyingIterator(InternalIterator inner) {
            this.inner = inner;
        }

        @Override
        public boolean isValid() {
            return inner.isValid();
        }

        @Override
        public void seekToFirst() throws IOException {
            inner.seekToFirst();
        }

        @Override
        public void seekToLast() throws IOException {
            inner.seekToLast();
        }

        @Override
        public void seek(byte[] target) throws IOException {
            inner.seek(target);
        }

        @Override
        public void next() throws IOException {
            inner.next();
        }

        @Override
        public void prev() throws IOException {
            inner.prev();
        }

        @Override
        public byte[] key() {
            return inner.key().clone();
        }

        @Override
        public byte[] value() {
            return inner.value().clone();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
