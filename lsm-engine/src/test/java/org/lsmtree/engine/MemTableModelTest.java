package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.testing.DescendingComparator;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;
import org.lsmtree.wal.WriteBatch;

/**
 * The memtable against a {@link TreeMap} of internal keys: random puts and deletes (keys with
 * shared prefixes, empty keys, keys mostly in ascending order, values from empty to larger than
 * an arena chunk), then lookups at
 * random snapshots, forward and backward walks, and seeks, under the bytewise order and a reversed
 * one. Seeded: a failure names its seed ({@code -Dlsm.seed=S} replays it).
 */
class MemTableModelTest {


    @Test
    void matchesASortedMapUnderTheBytewiseOrder() {
        SeededCases.check(30, random -> checkAgainstModel(random, BytewiseComparator.INSTANCE));
    }

    @Test
    void matchesASortedMapUnderAnotherOrder() {
        SeededCases.check(10, random -> checkAgainstModel(random, DescendingComparator.INSTANCE));
    }

    @Test
    void anEntryAsLargeAsTheLargestWalRecordFits() {
        MemTable table = new MemTable(new InternalKeyComparator(BytewiseComparator.INSTANCE));
        byte[] huge = new byte[LogFormat.DEFAULT_MAX_RECORD_SIZE - 64];
        huge[0] = 1;
        huge[huge.length - 1] = 2;
        table.add(1, ValueType.PUT, "a".getBytes(), "small".getBytes());
        table.add(2, ValueType.PUT, "b".getBytes(), huge);
        table.add(3, ValueType.PUT, "c".getBytes(), "small".getBytes());
        assertThat(table.get("b".getBytes(), 10).value()).isEqualTo(huge);
        assertThat(table.get("c".getBytes(), 10).value()).isEqualTo("small".getBytes());
        assertThat(table.approximateBytes()).isBetween((long) huge.length, (long) huge.length + 2 * Arena.CHUNK_SIZE);
    }

    @Test
    void insertsABatchFromItsEncodedBytesAtConsecutiveSequences() {
        MemTable table = new MemTable(new InternalKeyComparator(BytewiseComparator.INSTANCE));
        WriteBatch first = new WriteBatch().put("k".getBytes(), "1".getBytes()).delete("j".getBytes());
        WriteBatch second = new WriteBatch().put("k".getBytes(), "2".getBytes()).put(new byte[0], new byte[0]);
        assertThat(table.insert(5, List.of(first, second))).isEqualTo(4);
        assertThat(table.get("k".getBytes(), 5).value()).isEqualTo("1".getBytes());
        assertThat(table.get("k".getBytes(), 7).value()).isEqualTo("2".getBytes());
        assertThat(table.get("k".getBytes(), 4).state()).isEqualTo(Lookup.State.ABSENT);
        assertThat(table.get("j".getBytes(), 6).state()).isEqualTo(Lookup.State.DELETED);
        assertThat(table.get(new byte[0], 8).value()).isEmpty();
        assertThat(table.size()).isEqualTo(4);
    }

    @Test
    void anEmptyMemTableHoldsNoMemory() {
        MemTable table = new MemTable(new InternalKeyComparator(BytewiseComparator.INSTANCE));
        assertThat(table.approximateBytes()).isZero();
        assertThat(table.heapBytes()).isZero();
        assertThat(table.isEmpty()).isTrue();
    }

    private static void checkAgainstModel(SeededRandom random, UserComparator order) throws IOException {
        InternalKeyComparator comparator = new InternalKeyComparator(order);
        MemTable table = new MemTable(comparator);
        NavigableMap<byte[], byte[]> model = new TreeMap<>(comparator);
        List<byte[]> userKeys = new ArrayList<>();
        int operations = random.intBetween(0, 600);
        boolean ascending = random.oneIn(3); // mostly appends: the writer's path without a search
        long payload = 0;
        for (long sequence = 1; sequence <= operations; sequence++) {
            byte[] userKey = ascending && !random.oneIn(10) ? com.google.common.primitives.Longs.toByteArray(sequence * 7)
                    : userKeys.isEmpty() || random.oneIn(3) ? random.key() : random.pick(userKeys.toArray(byte[][]::new));
            userKeys.add(userKey);
            boolean delete = random.oneIn(4);
            byte[] value = delete ? new byte[0]
                    : random.bytes(random.oneIn(40) ? random.intBetween(Arena.LARGE_PIECE, 3 * Arena.CHUNK_SIZE)
                            : random.lengthUpTo(300));
            table.add(sequence, delete ? ValueType.DELETE : ValueType.PUT, userKey, value);
            model.put(InternalKey.encode(userKey, sequence, delete ? ValueType.DELETE : ValueType.PUT), value);
            payload += userKey.length + InternalKey.TRAILER_SIZE + value.length;
        }
        assertThat(table.size()).isEqualTo(operations);
        assertThat(table.approximateBytes()).as("arena bytes").isGreaterThanOrEqualTo(payload + 16L * operations)
                .isLessThanOrEqualTo(table.heapBytes());
        assertThat(table.heapBytes() - table.approximateBytes()).isLessThan(Arena.CHUNK_SIZE);

        for (int i = 0; i < 200 && !userKeys.isEmpty(); i++) {
            byte[] userKey = random.oneIn(5) ? random.key() : random.pick(userKeys.toArray(byte[][]::new));
            long snapshot = random.longBetween(0, operations + 1);
            assertThat(describe(table.get(userKey, snapshot))).as("get at snapshot " + snapshot)
                    .isEqualTo(describe(modelGet(model, order, userKey, snapshot)));
        }

        try (InternalIterator iterator = table.iterator()) {
            List<Map.Entry<byte[], byte[]>> expected = new ArrayList<>(model.entrySet());
            iterator.seekToFirst();
            for (Map.Entry<byte[], byte[]> entry : expected) {
                assertThat(iterator.isValid()).isTrue();
                assertThat(iterator.key()).isEqualTo(entry.getKey());
                assertThat(iterator.value()).isEqualTo(entry.getValue());
                iterator.next();
            }
            assertThat(iterator.isValid()).isFalse();
            iterator.seekToLast();
            Slice view = new Slice();
            for (int i = expected.size() - 1; i >= 0; i--) {
                assertThat(iterator.isValid()).isTrue();
                assertThat(iterator.key()).isEqualTo(expected.get(i).getKey());
                assertThat(iterator.keyView(view).toByteArray()).isEqualTo(expected.get(i).getKey());
                assertThat(iterator.valueView(view).toByteArray()).isEqualTo(expected.get(i).getValue());
                iterator.prev();
            }
            assertThat(iterator.isValid()).isFalse();
            for (int i = 0; i < 100; i++) {
                byte[] target = InternalKey.encode(random.key(), random.longBetween(0, operations + 1), ValueType.FOR_SEEK);
                if (!model.isEmpty() && random.oneIn(2)) {
                    target = random.pick(model.keySet().toArray(byte[][]::new));
                }
                iterator.seek(target);
                byte[] ceiling = model.ceilingKey(target);
                assertThat(iterator.isValid()).isEqualTo(ceiling != null);
                if (ceiling != null) {
                    assertThat(iterator.key()).isEqualTo(ceiling);
                    byte[] lower = model.lowerKey(ceiling);
                    iterator.prev();
                    assertThat(iterator.isValid()).isEqualTo(lower != null);
                    if (lower != null) {
                        assertThat(iterator.key()).isEqualTo(lower);
                    }
                }
            }
        }
    }

    private static Lookup modelGet(NavigableMap<byte[], byte[]> model, Comparator<byte[]> order, byte[] userKey,
            long snapshot) {
        Map.Entry<byte[], byte[]> entry = model.ceilingEntry(InternalKey.encode(userKey, snapshot, ValueType.FOR_SEEK));
        if (entry == null || order.compare(InternalKey.userKeyOf(entry.getKey()), userKey) != 0) {
            return Lookup.ABSENT;
        }
        return (InternalKey.trailerOf(entry.getKey()) & 0xff) == ValueType.PUT.code() ? Lookup.found(entry.getValue())
                : Lookup.DELETED;
    }

    private static String describe(Lookup lookup) {
        return lookup.state() + (lookup.value() == null ? "" : " " + java.util.HexFormat.of().formatHex(lookup.value()));
    }
}
