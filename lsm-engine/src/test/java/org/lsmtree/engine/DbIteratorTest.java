package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.MergingIterator;
import org.lsmtree.format.iterator.NavigableMapIterator;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.testing.DescendingComparator;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

/**
 * Random puts and deletes spread over several memtables, read through a {@link DbIterator} at a
 * random snapshot by random moves: it always stands where a sorted map of the visible state
 * would, under the bytewise order and under an order of our own (which compares copies), and its
 * views show what its copies hold.
 */
class DbIteratorTest {

    @Test
    void randomWalksAgreeWithTheVisibleState() {
        SeededCases.check(400, random -> randomWalkAgrees(random, BytewiseComparator.INSTANCE));
    }

    @Test
    void randomWalksAgreeWithTheVisibleStateUnderAnotherOrder() {
        SeededCases.check(200, random -> randomWalkAgrees(random, DescendingComparator.INSTANCE));
    }

    private static void randomWalkAgrees(SeededRandom random, UserComparator order) throws IOException {
        InternalKeyComparator comparator = new InternalKeyComparator(order);
        List<MemTable> tables = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            tables.add(new MemTable(comparator));
        }
        List<long[]> history = new ArrayList<>(); // sequence, key, value or -1 for a delete
        int operations = random.nextInt(60);
        for (long sequence = 1; sequence <= operations; sequence++) {
            int key = random.nextInt(12);
            int value = random.nextInt(4) == 0 ? -1 : random.nextInt(100);
            MemTable table = tables.get(random.nextInt(tables.size()));
            table.add(sequence, value < 0 ? ValueType.DELETE : ValueType.PUT, new byte[] {(byte) key},
                    new byte[] {(byte) value});
            history.add(new long[] {sequence, key, value});
        }
        long snapshot = operations == 0 ? 0 : 1 + random.nextInt(operations);
        TreeMap<byte[], byte[]> visible = new TreeMap<>(order);
        for (long[] op : history) {
            if (op[0] <= snapshot) {
                if (op[2] < 0) {
                    visible.remove(new byte[] {(byte) op[1]});
                } else {
                    visible.put(new byte[] {(byte) op[1]}, new byte[] {(byte) op[2]});
                }
            }
        }
        List<InternalIterator> children = new ArrayList<>();
        tables.forEach(t -> children.add(t.iterator()));
        boolean[] closed = {false};
        try (DbIterator it = new DbIterator(new MergingIterator(comparator, children), order,
                snapshot, () -> closed[0] = true)) {
            NavigableMapIterator model = new NavigableMapIterator(visible);
            for (int step = 0; step < 100; step++) {
                int move = random.nextInt(6);
                if (move < 2 && !model.isValid()) {
                    move = 2 + random.nextInt(3);
                }
                String what = switch (move) {
                    case 0 -> { it.next(); model.next(); yield "next"; }
                    case 1 -> { it.prev(); model.prev(); yield "prev"; }
                    case 2 -> { it.seekToFirst(); model.seekToFirst(); yield "first"; }
                    case 3 -> { it.seekToLast(); model.seekToLast(); yield "last"; }
                    default -> {
                        byte[] target = {(byte) random.nextInt(14)};
                        it.seek(target);
                        model.seek(target);
                        yield "seek " + target[0];
                    }
                };
                String context = "step " + step + " (" + what + "), snapshot " + snapshot + ", visible " + keys(visible);
                assertThat(it.isValid()).as(context).isEqualTo(model.isValid());
                if (model.isValid()) {
                    assertThat(it.key()).as(context).isEqualTo(model.key());
                    assertThat(it.value()).as(context).isEqualTo(model.value());
                    assertThat(bytesOf(it.keyView())).as(context).isEqualTo(model.key());
                    assertThat(bytesOf(it.valueView())).as(context).isEqualTo(model.value());
                }
            }
        }
        assertThat(closed[0]).isTrue();
    }

    private static byte[] bytesOf(ByteBuffer view) {
        assertThat(view.isReadOnly()).isTrue();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    private static List<Integer> keys(Map<byte[], byte[]> map) {
        return map.keySet().stream().map(k -> (int) k[0]).toList();
    }
}
