package org.lsmtree.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Case by case, the behaviour Kafka Streams relies on, asserted the same for our store (writing
 * through, and holding writes until commit as under exactly-once) and for RocksDB's: each case
 * states the expected answer, and every kind must give it. A seeded random run then compares our
 * store with RocksDB's operation by operation, with commits in between.
 */
class StoreBehaviourTest {
    @TempDir
    Path stateDir;

    private final List<KeyValueStore<Bytes, byte[]>> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(KeyValueStore::close);
    }

    private KeyValueStore<Bytes, byte[]> store(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = kind.open("behaviour-" + kind, stateDir.resolve(kind.name()).toFile());
        opened.add(store);
        for (String k : List.of("a", "ab", "abc", "b", "ba", "c")) {
            store.put(key(k), value(k.toUpperCase()));
        }
        return store;
    }

    private static Bytes key(String s) {
        return Bytes.wrap(s.getBytes(UTF_8));
    }

    private static byte[] value(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> drain(KeyValueIterator<Bytes, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                out.add(new String(next.key.get(), UTF_8) + "=" + new String(next.value, UTF_8));
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rangeIsInclusiveAtBothEnds(StoreKind kind) {
        assertThat(drain(store(kind).range(key("ab"), key("b")))).containsExactly("ab=AB", "abc=ABC", "b=B");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reverseRangeWalksTheSameKeysBackward(StoreKind kind) {
        assertThat(drain(store(kind).reverseRange(key("ab"), key("b")))).containsExactly("b=B", "abc=ABC", "ab=AB");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rangeBoundsNeedNotBeKeysOfTheStore(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        assertThat(drain(store.range(key("aa"), key("bb")))).containsExactly("ab=AB", "abc=ABC", "b=B", "ba=BA");
        assertThat(drain(store.reverseRange(key("aa"), key("bb")))).containsExactly("ba=BA", "b=B", "abc=ABC", "ab=AB");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void nullBoundsAreOpenEnded(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        assertThat(drain(store.range(null, key("ab")))).containsExactly("a=A", "ab=AB");
        assertThat(drain(store.range(key("ba"), null))).containsExactly("ba=BA", "c=C");
        assertThat(drain(store.range(null, null))).hasSize(6);
        assertThat(drain(store.reverseRange(null, key("ab")))).containsExactly("ab=AB", "a=A");
        assertThat(drain(store.reverseRange(key("ba"), null))).containsExactly("c=C", "ba=BA");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void fromGreaterThanToIsEmptyBothWays(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        assertThat(drain(store.range(key("c"), key("a")))).isEmpty();
        assertThat(drain(store.reverseRange(key("c"), key("a")))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void allAndReverseAllCoverEveryKey(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        assertThat(drain(store.all())).containsExactly("a=A", "ab=AB", "abc=ABC", "b=B", "ba=BA", "c=C");
        assertThat(drain(store.reverseAll())).containsExactly("c=C", "ba=BA", "b=B", "abc=ABC", "ab=AB", "a=A");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prefixScanReturnsKeysStartingWithThePrefix(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        assertThat(drain(store.prefixScan("ab", Serdes.String().serializer()))).containsExactly("ab=AB", "abc=ABC");
        assertThat(drain(store.prefixScan("b", Serdes.String().serializer()))).containsExactly("b=B", "ba=BA");
        assertThat(drain(store.prefixScan("x", Serdes.String().serializer()))).isEmpty();
        assertThat(drain(store.prefixScan("", Serdes.String().serializer()))).hasSize(6);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prefixScanOfAllOnesBytesReachesTheEndOfTheKeys(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        store.put(Bytes.wrap(new byte[] {(byte) 0xff}), value("F"));
        store.put(Bytes.wrap(new byte[] {(byte) 0xff, (byte) 0xff, 1}), value("FF1"));
        List<String> found = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(Bytes.wrap(new byte[] {(byte) 0xff}),
                Serdes.Bytes().serializer())) {
            it.forEachRemaining(kv -> found.add(new String(kv.value, UTF_8)));
        }
        assertThat(found).containsExactly("F", "FF1");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void emptyKeySortsFirstAndEmptyValueIsAValue(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        store.put(Bytes.wrap(new byte[0]), new byte[0]);
        assertThat(store.get(Bytes.wrap(new byte[0]))).isEmpty();
        assertThat(drain(store.all())).first().isEqualTo("=");
        assertThat(drain(store.range(null, key("a")))).containsExactly("=", "a=A");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void nullValueDeletesInPutAndPutAll(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        store.put(key("a"), null);
        store.putAll(List.of(KeyValue.pair(key("b"), null), KeyValue.pair(key("d"), value("D"))));
        assertThat(store.get(key("a"))).isNull();
        assertThat(drain(store.all())).containsExactly("ab=AB", "abc=ABC", "ba=BA", "c=C", "d=D");
        assertThat(store.delete(key("nothing"))).isNull();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void peekNextKeyDoesNotMove(StoreKind kind) {
        try (KeyValueIterator<Bytes, byte[]> it = store(kind).range(key("b"), null)) {
            assertThat(it.peekNextKey()).isEqualTo(key("b"));
            assertThat(it.peekNextKey()).isEqualTo(key("b"));
            assertThat(it.next().key).isEqualTo(key("b"));
            assertThat(it.peekNextKey()).isEqualTo(key("ba"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anIteratorSeesTheStateOfItsCreation(StoreKind kind) {
        KeyValueStore<Bytes, byte[]> store = store(kind);
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            store.put(key("aa"), value("AA"));
            store.delete(key("c"));
            List<String> seen = new ArrayList<>();
            it.forEachRemaining(kv -> seen.add(new String(kv.key.get(), UTF_8)));
            assertThat(seen).containsExactly("a", "ab", "abc", "b", "ba", "c");
        }
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = {"LSM", "LSM_EXACTLY_ONCE"})
    void randomOperationsGiveTheSameAnswersAsRocksDb(StoreKind kind) {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("StoreBehaviourTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
        Random random = new Random(seed);
        KeyValueStore<Bytes, byte[]> ours = kind.open("random", stateDir.resolve("lsm-r").toFile());
        KeyValueStore<Bytes, byte[]> rocks = StoreKind.ROCKSDB.open("random", stateDir.resolve("rocks-r").toFile());
        opened.add(ours);
        opened.add(rocks);
        TreeMap<Bytes, byte[]> model = new TreeMap<>();
        for (int step = 0; step < 2000; step++) {
            Bytes k = randomKey(random);
            if (random.nextInt(50) == 0) {
                ours.commit(Map.of()); // under exactly-once, moves the held writes into the engine
            }
            switch (random.nextInt(8)) {
                case 0, 1, 2 -> {
                    byte[] v = random.nextInt(10) == 0 ? null : randomValue(random);
                    ours.put(k, v);
                    rocks.put(k, v);
                    if (v == null) {
                        model.remove(k);
                    } else {
                        model.put(k, v);
                    }
                }
                case 3 -> {
                    byte[] v = randomValue(random);
                    assertThat(ours.putIfAbsent(k, v)).as("putIfAbsent seed %s", seed).isEqualTo(rocks.putIfAbsent(k, v));
                    model.putIfAbsent(k, v);
                }
                case 4 -> assertThat(ours.delete(k)).as("delete seed %s", seed).isEqualTo(rocks.delete(k))
                        .isEqualTo(model.remove(k));
                case 5 -> assertThat(ours.get(k)).as("get seed %s", seed).isEqualTo(rocks.get(k)).isEqualTo(model.get(k));
                default -> {
                    Bytes other = random.nextInt(4) == 0 ? null : randomKey(random);
                    Bytes from = random.nextInt(4) == 0 ? null : k;
                    boolean forward = random.nextBoolean();
                    List<String> a = drainHex(forward ? ours.range(from, other) : ours.reverseRange(from, other));
                    List<String> b = drainHex(forward ? rocks.range(from, other) : rocks.reverseRange(from, other));
                    assertThat(a).as("range %s..%s forward=%s seed %s", from, other, forward, seed).isEqualTo(b);
                }
            }
        }
        assertThat(drainHex(ours.all())).isEqualTo(drainHex(rocks.all())).hasSize(model.size());
    }

    private static Bytes randomKey(Random random) {
        byte[] k = new byte[random.nextInt(3)];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (random.nextInt(4) == 0 ? 0xff : random.nextInt(4));
        }
        return Bytes.wrap(k);
    }

    private static byte[] randomValue(Random random) {
        byte[] v = new byte[random.nextInt(4)];
        random.nextBytes(v);
        return v;
    }

    private static List<String> drainHex(KeyValueIterator<Bytes, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(kv.key + "=" + Bytes.wrap(kv.value)));
        }
        return out;
    }

}
