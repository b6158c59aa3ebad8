package org.lsmtree.leveldb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBComparator;
import org.iq80.leveldb.DBException;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.Range;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of the LevelDB API's {@link DB}, written against the interfaces alone and run
 * against every implementation: a subclass names its {@link DBFactory} and its {@link Gap}s. Where an
 * implementation lacks a feature (the pure-Java port 0.12 throws {@link UnsupportedOperationException}
 * for reverse iteration, compactRange and repair, and gives no properties) or has a known defect, the
 * test asserts that the gap is still there, so the record stays true, and stops there; an
 * implementation without gaps runs every assertion.
 */
abstract class DbContractTest {
    /** What an implementation may lack, or get wrong. */
    enum Gap {
        REVERSE_ITERATION,
        COMPACT_RANGE,
        PROPERTIES,
        REPAIR,
        /** A defect (dain/leveldb#97): a new iterator, before any seek, shows a deleted first key with an empty value. */
        NEW_ITERATOR_SHOWS_DELETED_FIRST_KEY
    }

    @TempDir
    File directory;

    private final List<DB> open = new ArrayList<>();

    /** The implementation under test. */
    abstract DBFactory factory();

    /** What it lacks (see {@link #implemented}). */
    abstract Set<Gap> lacks();

    @AfterEach
    void closeStores() throws IOException {
        for (DB db : open) {
            db.close();
        }
    }

    DB open(String name, Options options) throws IOException {
        DB db = factory().open(new File(directory, name), options);
        open.add(db);
        return db;
    }

    DB open(String name) throws IOException {
        return open(name, new Options().createIfMissing(true));
    }

    /**
     * Whether the implementation has {@code gap}'s feature; where it lacks it, asserts that
     * {@code attempt} throws {@link UnsupportedOperationException}, as the record says.
     */
    boolean implemented(Gap gap, ThrowingCallable attempt) {
        if (lacks().contains(gap)) {
            assertThatThrownBy(attempt).as("%s lacks %s", factory(), gap)
                    .isInstanceOf(UnsupportedOperationException.class);
            return false;
        }
        return true;
    }

    @Test
    void putGetAndDeleteWithAndWithoutOptions() throws IOException {
        DB db = open("db");
        db.put(b("a"), b("1"));
        assertThat(db.put(b("b"), b("2"), new WriteOptions().sync(true))).isNull();
        db.put(b("empty"), new byte[0]);
        assertThat(db.get(b("a"))).isEqualTo(b("1"));
        assertThat(db.get(b("b"), new ReadOptions().verifyChecksums(true))).isEqualTo(b("2"));
        assertThat(db.get(b("empty"))).as("an empty value is a value").isEqualTo(new byte[0]);
        assertThat(db.get(b("absent"))).isNull();
        db.put(b("a"), b("one"));
        assertThat(db.get(b("a"))).isEqualTo(b("one"));
        db.delete(b("a"));
        assertThat(db.delete(b("b"), new WriteOptions())).isNull();
        db.delete(b("never there"));
        assertThat(db.get(b("a"))).isNull();
        assertThat(db.get(b("b"))).isNull();
    }

    @Test
    void aWriteAskedForASnapshotReturnsOneThatSeesIt() throws IOException {
        DB db = open("db");
        try (Snapshot afterPut = db.put(b("k"), b("v1"), new WriteOptions().snapshot(true))) {
            db.put(b("k"), b("v2"));
            try (Snapshot afterDelete = db.delete(b("k"), new WriteOptions().snapshot(true))) {
                assertThat(db.get(b("k"), new ReadOptions().snapshot(afterPut))).isEqualTo(b("v1"));
                assertThat(db.get(b("k"), new ReadOptions().snapshot(afterDelete))).isNull();
            }
        }
    }

    @Test
    void aBatchAppliesEveryEntryInOrder() throws IOException {
        DB db = open("db");
        db.put(b("gone"), b("x"));
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.put(b("a"), b("1")).put(b("b"), b("2")).delete(b("gone")).put(b("a"), b("3"));
            db.write(batch);
        }
        assertThat(dump(db)).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
        try (WriteBatch batch = db.createWriteBatch()) {
            batch.delete(b("a")).put(b("c"), b("4"));
            try (Snapshot snapshot = db.write(batch, new WriteOptions().sync(true).snapshot(true))) {
                db.put(b("c"), b("later"));
                assertThat(db.get(b("c"), new ReadOptions().snapshot(snapshot))).isEqualTo(b("4"));
                assertThat(db.get(b("a"), new ReadOptions().snapshot(snapshot))).isNull();
            }
        }
    }

    @Test
    void aSnapshotTakenDuringWritesKeepsItsState() throws IOException {
        DB db = open("db", new Options().createIfMissing(true).writeBufferSize(16 << 10));
        for (int i = 0; i < 100; i++) {
            db.put(key(i), b("old" + i));
        }
        try (Snapshot snapshot = db.getSnapshot()) {
            for (int round = 0; round < 5; round++) { // several memtables' worth, so tables are written
                for (int i = 0; i < 100; i++) {
                    if (i % 3 == 0) {
                        db.delete(key(i));
                    } else {
                        db.put(key(i), bigValue("new" + round + "-" + i));
                    }
                }
            }
            ReadOptions atSnapshot = new ReadOptions().snapshot(snapshot);
            for (int i = 0; i < 100; i++) {
                assertThat(db.get(key(i), atSnapshot)).isEqualTo(b("old" + i));
            }
            try (DBIterator it = db.iterator(atSnapshot)) {
                int count = 0;
                for (it.seekToFirst(); it.hasNext(); count++) {
                    Map.Entry<byte[], byte[]> entry = it.next();
                    assertThat(entry.getKey()).isEqualTo(key(count));
                    assertThat(entry.getValue()).isEqualTo(b("old" + count));
                }
                assertThat(count).isEqualTo(100);
            }
        }
        assertThat(db.get(key(0))).isNull();
        assertThat(db.get(key(1))).isEqualTo(bigValue("new4-1"));
    }

    @Test
    void aNewIteratorStandsBeforeTheFirstEntryAndWalksForward() throws IOException {
        DB db = fiveKeys();
        try (DBIterator it = db.iterator()) {
            assertThat(it.hasNext()).isTrue();
            assertThat(text(it.peekNext())).isEqualTo("b=2");
            List<String> seen = new ArrayList<>();
            while (it.hasNext()) {
                seen.add(text(it.next()));
            }
            assertThat(seen).containsExactly("b=2", "d=4", "f=6", "h=8", "j=10");
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(it::peekNext).isInstanceOf(NoSuchElementException.class);
        }
        List<String> viaIterable = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> entry : db) {
            viaIterable.add(text(entry));
        }
        assertThat(viaIterable).containsExactly("b=2", "d=4", "f=6", "h=8", "j=10");
    }

    @Test
    void aNewIteratorSkipsADeletedFirstKey() throws IOException {
        DB db = open("db");
        db.put(b("a"), b("1"));
        db.delete(b("a"));
        db.put(b("b"), b("2"));
        List<String> seen = new ArrayList<>();
        try (DBIterator it = db.iterator()) {
            it.forEachRemaining(entry -> seen.add(text(entry)));
        }
        if (lacks().contains(Gap.NEW_ITERATOR_SHOWS_DELETED_FIRST_KEY)) {
            assertThat(seen).as("the port's defect, still there").containsExactly("a=", "b=2");
            return;
        }
        assertThat(seen).containsExactly("b=2");
    }

    @Test
    void seekFindsTheFirstKeyAtOrAfterItsTarget() throws IOException {
        DB db = fiveKeys();
        try (DBIterator it = db.iterator()) {
            it.seek(b("f"));
            assertThat(text(it.next())).isEqualTo("f=6");
            it.seek(b("e"));
            assertThat(text(it.peekNext())).isEqualTo("f=6");
            it.seek(b("a"));
            assertThat(text(it.next())).isEqualTo("b=2");
            it.seek(b("j"));
            assertThat(text(it.next())).isEqualTo("j=10");
            assertThat(it.hasNext()).isFalse();
            it.seek(b("z"));
            assertThat(it.hasNext()).as("seek past the end").isFalse();
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
            it.seekToFirst();
            assertThat(text(it.next())).isEqualTo("b=2");
        }
    }

    @Test
    void seekToLastStandsBeforeTheLastEntry() throws IOException {
        DB db = fiveKeys();
        try (DBIterator it = db.iterator()) {
            if (!implemented(Gap.REVERSE_ITERATION, it::seekToLast)) {
                return;
            }
            it.seekToLast();
            assertThat(text(it.peekNext())).isEqualTo("j=10");
            assertThat(text(it.peekPrev())).isEqualTo("h=8");
            assertThat(text(it.next())).isEqualTo("j=10");
            assertThat(it.hasNext()).isFalse();
            assertThat(text(it.prev())).isEqualTo("j=10");
        }
    }

    @Test
    void prevWalksBackwardAndStopsAtTheFirstEntry() throws IOException {
        DB db = fiveKeys();
        try (DBIterator it = db.iterator()) {
            if (!implemented(Gap.REVERSE_ITERATION, it::hasPrev)) {
                assertThatThrownBy(it::prev).isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(it::peekPrev).isInstanceOf(UnsupportedOperationException.class);
                return;
            }
            assertThat(it.hasPrev()).as("prev from the first entry").isFalse();
            assertThatThrownBy(it::prev).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(it::peekPrev).isInstanceOf(NoSuchElementException.class);
            assertThat(text(it.next())).as("a failed prev leaves the iterator where it was").isEqualTo("b=2");
            assertThat(text(it.prev())).as("next then prev give the same entry").isEqualTo("b=2");

            it.seek(b("z")); // past the end: every entry is behind
            List<String> seen = new ArrayList<>();
            while (it.hasPrev()) {
                seen.add(text(it.prev()));
            }
            assertThat(seen).containsExactly("j=10", "h=8", "f=6", "d=4", "b=2");

            it.seek(b("e"));
            assertThat(text(it.peekPrev())).isEqualTo("d=4");
            assertThat(text(it.peekNext())).isEqualTo("f=6");
            assertThat(text(it.prev())).isEqualTo("d=4");
            assertThat(text(it.next())).isEqualTo("d=4");
            assertThat(text(it.next())).isEqualTo("f=6");
        }
    }

    @Test
    void anIteratorOfAnEmptyStoreHasNothingEitherWay() throws IOException {
        DB db = open("db");
        try (DBIterator it = db.iterator()) {
            assertThat(it.hasNext()).isFalse();
            it.seek(b("x"));
            assertThat(it.hasNext()).isFalse();
            if (implemented(Gap.REVERSE_ITERATION, it::seekToLast)) {
                it.seekToLast();
                assertThat(it.hasNext()).isFalse();
                assertThat(it.hasPrev()).isFalse();
            }
        }
    }

    /** Replays with {@code -Dlsm.leveldb.seed=N}; {@code -Dlsm.leveldb.walks=N} walks more stores. */
    @Test
    void randomCursorWalksMatchAModel() throws IOException {
        long seed = Long.getLong("lsm.leveldb.seed", System.nanoTime());
        System.out.println(getClass().getSimpleName() + ".randomCursorWalksMatchAModel seed " + seed);
        for (int run = 0; run < Integer.getInteger("lsm.leveldb.walks", 3); run++) {
            CursorWalk.run(open("db" + run, new Options().createIfMissing(true).writeBufferSize(8 << 10)), seed + run,
                    !lacks().contains(Gap.REVERSE_ITERATION), lacks().contains(Gap.NEW_ITERATOR_SHOWS_DELETED_FIRST_KEY));
        }
    }

    @Test
    void anIteratorSurvivesWritesAndCompactions() throws IOException {
        DB db = open("db", new Options().createIfMissing(true).writeBufferSize(16 << 10));
        for (int i = 0; i < 300; i++) {
            db.put(key(i), bigValue("first" + i));
        }
        try (DBIterator it = db.iterator()) {
            assertThat(it.next().getKey()).isEqualTo(key(0));
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 300; i++) {
                    if (i % 2 == 0) {
                        db.delete(key(i));
                    } else {
                        db.put(key(i), bigValue("again" + round + i));
                    }
                }
            }
            if (implemented(Gap.COMPACT_RANGE, () -> db.compactRange(null, null))) {
                db.compactRange(null, null);
            }
            int count = 1;
            while (it.hasNext()) {
                Map.Entry<byte[], byte[]> entry = it.next();
                assertThat(entry.getKey()).isEqualTo(key(count));
                assertThat(entry.getValue()).isEqualTo(bigValue("first" + count));
                count++;
            }
            assertThat(count).isEqualTo(300);
        }
        assertThat(dump(db)).hasSize(150);
    }

    @Test
    void compactRangeKeepsEveryLiveKey() throws IOException {
        DB db = open("db", new Options().createIfMissing(true).writeBufferSize(16 << 10));
        TreeMap<String, String> model = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            String k = new String(key(i % 200), StandardCharsets.UTF_8);
            if (i % 7 == 0) {
                db.delete(b(k));
                model.remove(k);
            } else {
                db.put(b(k), bigValue("v" + i));
                model.put(k, new String(bigValue("v" + i), StandardCharsets.UTF_8));
            }
        }
        if (!implemented(Gap.COMPACT_RANGE, () -> db.compactRange(key(10), key(50)))) {
            return;
        }
        db.compactRange(key(10), key(50));
        assertThat(dump(db)).isEqualTo(model);
        db.compactRange(null, null);
        assertThat(dump(db)).isEqualTo(model);
    }

    @Test
    void approximateSizesGrowWithTheRange() throws IOException {
        DB db = open("db", new Options().createIfMissing(true).writeBufferSize(16 << 10));
        for (int i = 0; i < 1000; i++) {
            db.put(key(i), bigValue("value" + i));
        }
        long[] sizes = db.getApproximateSizes(new Range(key(0), key(1000)), new Range(key(0), key(500)),
                new Range(b("z0"), b("z9")));
        assertThat(sizes).hasSize(3);
        assertThat(sizes[0]).as("the whole store").isPositive();
        assertThat(sizes[1]).as("half of it").isBetween(0L, sizes[0]);
        assertThat(sizes[2]).as("a range past every key").isZero();
    }

    @Test
    void propertiesDescribeTheLevels() throws IOException {
        DB db = open("db", new Options().createIfMissing(true).writeBufferSize(16 << 10));
        for (int i = 0; i < 500; i++) {
            db.put(key(i), bigValue("value" + i));
        }
        assertThat(db.getProperty("leveldb.no-such-property")).isNull();
        if (lacks().contains(Gap.PROPERTIES)) { // the port gives null for every name
            assertThat(db.getProperty("leveldb.stats")).isNull();
            assertThat(db.getProperty("leveldb.num-files-at-level0")).isNull();
            assertThat(db.getProperty("leveldb.sstables")).isNull();
            return;
        }
        int files = 0;
        for (int level = 0; level < 7; level++) {
            files += Integer.parseInt(db.getProperty("leveldb.num-files-at-level" + level));
        }
        assertThat(files).as("tables written as the memtable filled").isPositive();
        assertThat(db.getProperty("leveldb.num-files-at-level7")).isNull();
        assertThat(db.getProperty("leveldb.sstables")).startsWith("--- level 0 ---\n").contains("--- level 6 ---");
        assertThat(db.getProperty("leveldb.stats")).startsWith("Level  Files Size(MB)");
        assertThat(Long.parseLong(db.getProperty("leveldb.approximate-memory-usage"))).isNotNegative();
    }

    /**
     * Within one memtable: the port's suspension also holds memtable flushes, so its writes stall
     * once two memtables are full (ours flush on; see {@link CompactionGate}).
     */
    @Test
    void writesAndReadsGoOnWhileCompactionsAreSuspended() throws Exception {
        DB db = open("db", new Options().createIfMissing(true).writeBufferSize(1 << 20));
        db.suspendCompactions();
        db.suspendCompactions(); // suspensions nest
        for (int i = 0; i < 200; i++) {
            db.put(key(i), bigValue("v" + i));
        }
        db.resumeCompactions();
        assertThat(db.get(key(7))).isEqualTo(bigValue("v7"));
        db.resumeCompactions();
        for (int i = 200; i < 400; i++) {
            db.put(key(i), bigValue("v" + i));
        }
        assertThat(dump(db)).hasSize(400);
    }

    /** A missing store is an {@code IOException} here, an {@code IllegalArgumentException} in the port. */
    @Test
    void optionsDecideWhetherAStoreIsCreatedOrMayExist() throws IOException {
        assertThatThrownBy(() -> factory().open(new File(directory, "missing"), new Options().createIfMissing(false)))
                .isInstanceOfAny(IOException.class, DBException.class, IllegalArgumentException.class);
        DB db = open("db");
        db.put(b("k"), b("v"));
        db.close();
        DB again = open("db", new Options().createIfMissing(false));
        assertThat(again.get(b("k"))).isEqualTo(b("v"));
        again.close();
        // Last: the port keeps the store's lock after a failed open.
        assertThatThrownBy(() -> factory().open(new File(directory, "db"), new Options().errorIfExists(true)))
                .isInstanceOfAny(IOException.class, DBException.class, IllegalArgumentException.class);
    }

    @Test
    void aCustomComparatorOrdersKeysAndIsRecordedByName() throws IOException {
        Options reversed = new Options().createIfMissing(true).comparator(new ReverseComparator());
        DB db = open("db", reversed);
        for (String k : new String[] {"b", "d", "a", "c"}) {
            db.put(b(k), b(k));
        }
        try (DBIterator it = db.iterator()) {
            List<String> seen = new ArrayList<>();
            it.forEachRemaining(entry -> seen.add(new String(entry.getKey(), StandardCharsets.UTF_8)));
            assertThat(seen).containsExactly("d", "c", "b", "a");
        }
        db.close();
        DB again = open("db", new Options().comparator(new ReverseComparator()));
        assertThat(again.get(b("c"))).isEqualTo(b("c"));
        again.close();
        // Last: the port keeps the store's lock after this failed open.
        assertThatThrownBy(() -> factory().open(new File(directory, "db"), new Options()))
                .as("a store never opens under another comparator")
                .isInstanceOfAny(IOException.class, DBException.class, IllegalArgumentException.class);
    }

    @Test
    void destroyRemovesTheStore() throws IOException {
        DB db = open("db");
        db.put(b("k"), b("v"));
        db.close();
        factory().destroy(new File(directory, "db"), new Options());
        assertThat(new File(directory, "db/CURRENT")).doesNotExist();
        assertThatThrownBy(() -> factory().open(new File(directory, "db"), new Options().createIfMissing(false)))
                .isInstanceOfAny(IOException.class, DBException.class, IllegalArgumentException.class);
    }

    @Test
    void repairLeavesAnIntactStoreAsItWas() throws IOException {
        DB db = open("db");
        db.put(b("k"), b("v"));
        db.close();
        File store = new File(directory, "db");
        if (!implemented(Gap.REPAIR, () -> factory().repair(store, new Options()))) {
            return;
        }
        factory().repair(store, new Options());
        assertThat(open("db").get(b("k"))).isEqualTo(b("v"));
    }

    private DB fiveKeys() throws IOException {
        DB db = open("db");
        for (int i = 10; i >= 2; i -= 2) {
            db.put(b(String.valueOf((char) ('a' + i - 1))), b(String.valueOf(i)));
        }
        db.put(b("c"), b("gone"));
        db.delete(b("c"));
        return db;
    }

    static TreeMap<String, String> dump(DB db) throws IOException {
        TreeMap<String, String> seen = new TreeMap<>();
        try (DBIterator it = db.iterator()) {
            for (it.seekToFirst(); it.hasNext(); ) {
                Map.Entry<byte[], byte[]> entry = it.next();
                seen.put(new String(entry.getKey(), StandardCharsets.UTF_8), new String(entry.getValue(),
                        StandardCharsets.UTF_8));
            }
        }
        return seen;
    }

    static String text(Map.Entry<byte[], byte[]> entry) {
        return new String(entry.getKey(), StandardCharsets.UTF_8) + "=" + new String(entry.getValue(),
                StandardCharsets.UTF_8);
    }

    static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] key(int i) {
        return b(String.format("key%05d", i));
    }

    /** A value of about 200 bytes, so that a few hundred fill a small memtable. */
    static byte[] bigValue(String prefix) {
        return b(prefix + "-" + "x".repeat(200));
    }

    /** Reverse bytewise order, under its own name. */
    static final class ReverseComparator implements DBComparator {
        @Override
        public String name() {
            return "test.ReverseBytewise";
        }

        @Override
        public int compare(byte[] a, byte[] b) {
            return java.util.Arrays.compareUnsigned(b, a);
        }

        @Override
        public byte[] findShortestSeparator(byte[] start, byte[] limit) {
            return start;
        }

        @Override
        public byte[] findShortSuccessor(byte[] key) {
            return key;
        }
    }
}
