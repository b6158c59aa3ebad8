package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.iterator.Slice;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.DescendingComparator;

/**
 * {@link TableReader#lookup}, {@link TableReader#get} and iterator seeks, which compare keys in
 * place, against a sorted map of the same entries: several versions per user key (puts and
 * deletions), looked up at random sequences, in the bytewise order (compared in place) and in a
 * reversed order (compared through copies), on a mapped file and on jimfs.
 */
class TableLookupTest {

    @TempDir Path tempDir;


    @Test
    void lookupsAgreeWithTheModelOnAMappedFile() throws IOException {
        checkAgainstModel(NioStorage.onDefaultFileSystem(), tempDir.resolve("000001.ldb"),
                TableOptions.forInternalKeys(BytewiseComparator.INSTANCE));
    }

    @Test
    void lookupsAgreeWithTheModelOnJimfs() throws IOException {
        Path file = TableFixtures.jimfsFile("000001.ldb");
        checkAgainstModel(TableFixtures.storageOf(file), file, TableOptions.forInternalKeys(BytewiseComparator.INSTANCE));
    }

    @Test
    void lookupsAgreeWithTheModelInAnOrderComparedThroughCopies() throws IOException {
        checkAgainstModel(NioStorage.onDefaultFileSystem(), tempDir.resolve("000002.ldb"),
                TableOptions.forInternalKeys(DescendingComparator.INSTANCE));
    }

    @Test
    void aDeletionIsTheTombstoneAndAnOlderSnapshotSeesThePutBeforeIt() throws IOException {
        TableOptions options = TableOptions.defaults();
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(options.comparator());
        entries.put(InternalKey.encode(TableFixtures.b("k"), 9, ValueType.DELETE), new byte[0]);
        entries.put(InternalKey.encode(TableFixtures.b("k"), 5, ValueType.PUT), TableFixtures.b("old"));
        Path file = tempDir.resolve("000003.ldb");
        Storage storage = NioStorage.onDefaultFileSystem();
        TableFixtures.write(storage, file, options, entries);
        try (TableReader reader = TableReader.open(storage, file, options)) {
            assertThat(reader.lookup(seekKey("k", 20), false)).isSameAs(TableReader.TOMBSTONE);
            assertThat(reader.lookup(seekKey("k", 8), false)).isEqualTo(TableFixtures.b("old"));
            assertThat(reader.lookup(seekKey("k", 4), false)).isNull();
            assertThat(reader.lookup(seekKey("j", 20), false)).isNull();
            assertThat(reader.lookup(seekKey("l", 20), false)).isNull();
        }
    }

    private static byte[] seekKey(String userKey, long sequence) {
        return InternalKey.encode(TableFixtures.b(userKey), sequence, ValueType.FOR_SEEK);
    }

    private static void checkAgainstModel(Storage storage, Path file, TableOptions options) throws IOException {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("TableLookupTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
        Random random = new Random(seed);
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(options.comparator());
        List<byte[]> userKeys = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            byte[] userKey = new byte[1 + random.nextInt(random.nextInt(8) == 0 ? 200 : 20)];
            random.nextBytes(userKey);
            userKeys.add(userKey);
            int versions = 1 + random.nextInt(3);
            for (int v = 0; v < versions; v++) {
                long sequence = 1 + random.nextInt(1000);
                boolean delete = random.nextInt(4) == 0;
                byte[] value = new byte[random.nextInt(40)];
                random.nextBytes(value);
                entries.put(InternalKey.encode(userKey, sequence, delete ? ValueType.DELETE : ValueType.PUT),
                        delete ? new byte[0] : value);
            }
        }
        TableFixtures.write(storage, file, options.withBlockSize(256).withRestartInterval(1 + random.nextInt(16)),
                entries);
        try (TableReader reader = TableReader.open(storage, file, options); InternalIterator iterator = reader.iterator()) {
            Slice view = new Slice();
            for (int i = 0; i < 3000; i++) {
                byte[] userKey = random.nextBoolean() ? userKeys.get(random.nextInt(userKeys.size()))
                        : randomKey(random);
                byte[] target = InternalKey.encode(userKey, random.nextInt(1100), ValueType.FOR_SEEK);
                Map.Entry<byte[], byte[]> ceiling = entries.ceilingEntry(target);

                byte[] expected = expectedLookup(options, ceiling, userKey);
                byte[] actual = reader.lookup(target, random.nextBoolean());
                String where = "seed " + seed + ", lookup " + i;
                if (expected == TableReader.TOMBSTONE) {
                    assertThat(actual).as(where).isSameAs(TableReader.TOMBSTONE);
                } else {
                    assertThat(actual).as(where).isEqualTo(expected);
                }

                iterator.seek(target);
                if (ceiling == null) {
                    assertThat(iterator.isValid()).as(where).isFalse();
                } else {
                    assertThat(iterator.isValid()).as(where).isTrue();
                    assertThat(iterator.key()).as(where).isEqualTo(ceiling.getKey());
                    assertThat(iterator.value()).as(where).isEqualTo(ceiling.getValue());
                    // The views show the same bytes in place, across block boundaries too: one step
                    // back and one forward, where the neighbours exist.
                    Map.Entry<byte[], byte[]> lower = entries.lowerEntry(ceiling.getKey());
                    if (lower != null) {
                        iterator.prev();
                        assertThat(iterator.keyView(view).toByteArray()).as(where).isEqualTo(lower.getKey());
                        assertThat(iterator.valueView(view).toByteArray()).as(where).isEqualTo(lower.getValue());
                        iterator.next();
                    }
                    assertThat(iterator.keyView(view).toByteArray()).as(where).isEqualTo(ceiling.getKey());
                    assertThat(iterator.valueView(view).toByteArray()).as(where).isEqualTo(ceiling.getValue());
                }
            }
        }
    }

    private static byte[] randomKey(Random random) {
        byte[] key = new byte[1 + random.nextInt(20)];
        random.nextBytes(key);
        return key;
    }

    /** What lookup must answer, from the first entry at or after the target (null: none). */
    private static byte[] expectedLookup(TableOptions options, Map.Entry<byte[], byte[]> ceiling, byte[] userKey) {
        if (ceiling == null) {
            return null;
        }
        UserComparator users = ((org.lsmtree.format.key.InternalKeyComparator) options.comparator()).userComparator();
        if (users.compare(InternalKey.userKeyOf(ceiling.getKey()), userKey) != 0) {
            return null;
        }
        return (InternalKey.trailerOf(ceiling.getKey()) & 0xff) == ValueType.PUT.code() ? ceiling.getValue()
                : TableReader.TOMBSTONE;
    }
}
