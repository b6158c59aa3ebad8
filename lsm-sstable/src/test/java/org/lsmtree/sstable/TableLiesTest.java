package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.sstable.TableFixtures.b;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.Storage;

/**
 * Damage that keeps every checksum valid (issue 11, points 3, 4, 5 and 7): blocks out of place,
 * index entries pointing at meta blocks, filters that match nothing, keys out of order, keys that
 * are no internal keys. Each is a {@link CorruptionException} naming the file and the block on
 * every read path, never a wrong entry, an untyped exception or a key that silently vanishes; the
 * verifier reports the same.
 */
class TableLiesTest {
    private static final TableOptions PLAIN = TableFixtures.PLAIN.withBlockSize(256);
    private static final TableOptions INTERNAL = TableOptions.defaults().withBlockSize(256);

    private final Path file = TableFixtures.jimfsFile("000009.ldb");
    private final Storage storage = TableFixtures.storageOf(file);

    /** {@code count} entries of equal size, so that data blocks come out of equal size. */
    private static NavigableMap<byte[], byte[]> equalSizeEntries(TableOptions options, int count) {
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(options.comparator());
        for (int i = 0; i < count; i++) {
            byte[] user = b(String.format("key%06d", i));
            byte[] key = options.internalKeys()
                    ? InternalKey.encode(user, 1000 + i, i % 7 == 0 ? ValueType.DELETE : ValueType.PUT)
                    : user;
            entries.put(key, b(String.format("value%015d", i)));
        }
        return entries;
    }

    /** Every read path over {@code key}: get, seek, a scan each way. */
    private List<ThrowingRead> readPaths(TableOptions options, byte[] key) {
        return List.of(
                () -> {
                    try (TableReader reader = TableReader.open(storage, file, options)) {
                        reader.get(key);
                    }
                },
                () -> {
                    try (TableReader reader = TableReader.open(storage, file, options);
                            InternalIterator iterator = reader.iterator()) {
                        iterator.seek(key);
                    }
                },
                () -> {
                    try (TableReader reader = TableReader.open(storage, file, options);
                            InternalIterator iterator = reader.iterator()) {
                        TableFixtures.scan(iterator);
                    }
                },
                () -> {
                    try (TableReader reader = TableReader.open(storage, file, options);
                            InternalIterator iterator = reader.iterator()) {
                        TableFixtures.scanBackward(iterator);
                    }
                });
    }

    @FunctionalInterface
    private interface ThrowingRead extends org.assertj.core.api.ThrowableAssert.ThrowingCallable {}

    /** Every read path over {@code key} fails with a corruption of our file at one of {@code offsets}. */
    private void assertEveryReadFails(TableOptions options, byte[] key, String reason, Long... offsets) {
        List<ThrowingRead> paths = readPaths(options, key);
        String[] names = {"get", "seek", "scan forward", "scan backward"};
        for (int i = 0; i < paths.size(); i++) {
            assertThatThrownBy(paths.get(i)).as(names[i]).isInstanceOfSatisfying(CorruptionException.class, e -> {
                assertThat(e.file()).isEqualTo(file.toString());
                assertThat(e.offset()).as("%s", e.getMessage()).isIn((Object[]) offsets);
                assertThat(e.reason()).contains(reason);
            });
        }
    }

    private VerificationReport verify(TableOptions options) throws IOException {
        return new SstableVerifier(options).verify(storage, file);
    }

    private static void assertReported(VerificationReport report, String kind, long offset) {
        assertThat(report.problems()).as("%s", report)
                .anySatisfy(problem -> {
                    assertThat(problem.kind()).isEqualTo(kind);
                    assertThat(problem.offset()).isEqualTo(offset);
                });
    }

    /** Writes a table and swaps two neighbouring data blocks of equal size; returns the first one's index. */
    private int writeWithSwappedBlocks(TableOptions options, NavigableMap<byte[], byte[]> entries,
            List<TableLayout.BlockInfo> blocks) throws IOException {
        TableFixtures.write(storage, file, options, entries);
        blocks.addAll(TableLayout.read(storage, file).dataBlocks());
        return TableSurgery.swapEqualNeighbours(storage, file);
    }

    private void checkSwappedBlocks(TableOptions options) throws IOException {
        NavigableMap<byte[], byte[]> entries = equalSizeEntries(options, 300);
        List<TableLayout.BlockInfo> blocks = new ArrayList<>();
        int swapped = writeWithSwappedBlocks(options, entries, blocks);
        long at = blocks.get(swapped).offset();
        long next = blocks.get(swapped + 1).offset();
        List<TableLayout.IndexEntry> index = TableLayout.read(storage, file).indexEntries();
        byte[] keyOfBlock = entries.higherKey(index.get(swapped - 1).separator());
        for (TableOptions read : List.of(options, options.withVerifyChecksums(true))) {
            assertEveryReadFails(read, keyOfBlock, "the block is not where the index puts it", at, next);
            try (TableReader reader = TableReader.open(storage, file, read)) {
                assertThatThrownBy(() -> reader.get(keyOfBlock)).isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.offset()).isEqualTo(at));
            }
        }
        VerificationReport report = verify(options);
        assertReported(report, "INDEX_MISMATCH", at);
        assertReported(report, "INDEX_MISMATCH", next);
    }

    @Test
    void equalSizeDataBlocksSwappedArePlacedAgainstTheIndexAndRefused() throws IOException {
        checkSwappedBlocks(PLAIN);
    }

    @Test
    void equalSizeDataBlocksSwappedInAStoreTableAreRefused() throws IOException {
        checkSwappedBlocks(INTERNAL);
    }

    @Test
    void copyingATableWithSwappedBlocksStopsWithACorruptionBeforeAnyKeyGoesOutOfOrder() throws IOException {
        NavigableMap<byte[], byte[]> entries = equalSizeEntries(INTERNAL, 300);
        int swapped = writeWithSwappedBlocks(INTERNAL, entries, new ArrayList<>());
        Path copy = file.resolveSibling("000010.ldb");
        List<byte[]> copied = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (TableReader reader = TableReader.open(storage, file, INTERNAL);
                    InternalIterator iterator = reader.iterator();
                    var out = storage.create(copy);
                    TableBuilder builder = new TableBuilder(out, INTERNAL)) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    builder.add(iterator.key(), iterator.value());
                    copied.add(iterator.key());
                }
            }
        }).isInstanceOf(CorruptionException.class);
        assertThat(copied).hasSizeGreaterThan(swapped).isSortedAccordingTo(INTERNAL.comparator());
        assertThat(copied).containsExactlyElementsOf(new ArrayList<>(entries.keySet()).subList(0, copied.size()));
    }

    @Test
    void anIndexEntryPointingAtTheFilterOrMetaindexBlockIsACorruptionAtOpen() throws IOException {
        TableOptions options = PLAIN.withBloomBitsPerKey(10);
        TableFixtures.write(storage, file, options, equalSizeEntries(options, 100));
        TableLayout layout = TableLayout.read(storage, file);
        TableLayout.BlockInfo filter = layout.metaBlocks().stream().filter(m -> m.kind().equals("filter")).findFirst()
                .orElseThrow();
        byte[] clean = TableSurgery.read(storage, file);
        for (TableLayout.BlockInfo target : List.of(filter, layout.metaindex())) {
            List<byte[]> keys = new ArrayList<>();
            List<BlockHandle> handles = new ArrayList<>();
            for (TableLayout.IndexEntry entry : layout.indexEntries()) {
                keys.add(entry.separator());
                handles.add(new BlockHandle(entry.offset(), entry.size()));
            }
            handles.set(handles.size() - 1, new BlockHandle(target.offset(), target.size()));
            TableSurgery.write(storage, file, TableSurgery.withIndex(clean, keys, handles));
            assertThatThrownBy(() -> TableReader.open(storage, file, options))
                    .as("index entry pointing at the %s block", target.kind())
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo(file.toString());
                        assertThat(e.offset()).isEqualTo(layout.index().offset());
                        assertThat(e.reason()).contains("block@" + target.offset()).contains("reaches past the data blocks");
                    });
            assertReported(verify(options), "BAD_HANDLE", layout.index().offset());
        }
    }

    @Test
    void indexHandlesThatDoNotIncreaseAreACorruptionAtOpen() throws IOException {
        TableFixtures.write(storage, file, PLAIN, equalSizeEntries(PLAIN, 100));
        TableLayout layout = TableLayout.read(storage, file);
        List<byte[]> keys = new ArrayList<>();
        List<BlockHandle> handles = new ArrayList<>();
        for (TableLayout.IndexEntry entry : layout.indexEntries()) {
            keys.add(entry.separator());
            handles.add(new BlockHandle(entry.offset(), entry.size()));
        }
        handles.set(2, handles.get(1));
        TableSurgery.write(storage, file, TableSurgery.withIndex(TableSurgery.read(storage, file), keys, handles));
        assertThatThrownBy(() -> TableReader.open(storage, file, PLAIN))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(layout.index().offset());
                    assertThat(e.reason()).contains("data blocks must increase");
                });
        assertReported(verify(PLAIN), "BLOCK_LAYOUT", layout.index().offset());
    }

    /** Writes a table with a filter and returns its filter block's extent. */
    private TableLayout.BlockInfo writeWithFilter(TableOptions options) throws IOException {
        TableFixtures.write(storage, file, options, equalSizeEntries(options, 200));
        return TableLayout.read(storage, file).metaBlocks().stream().filter(m -> m.kind().equals("filter"))
                .findFirst().orElseThrow();
    }

    @Test
    void aFilterWithNoBitSetIsACorruptionAtOpenNotAVanishedKey() throws IOException {
        for (TableOptions options : List.of(PLAIN.withBloomBitsPerKey(10), INTERNAL)) {
            TableLayout.BlockInfo filter = writeWithFilter(options);
            byte[] table = TableSurgery.read(storage, file);
            int at = (int) filter.offset();
            byte[] contents = java.util.Arrays.copyOfRange(table, at, at + (int) filter.size());
            int arrayOffset = LittleEndian.getFixed32(contents, contents.length - 5);
            int start = LittleEndian.getFixed32(contents, arrayOffset);
            int limit = LittleEndian.getFixed32(contents, arrayOffset + 4);
            assertThat(limit - start).as("filter 0 holds bits and a probe count").isGreaterThan(8);
            java.util.Arrays.fill(contents, start, limit - 1, (byte) 0);
            TableSurgery.rewrite(table, at, contents);
            TableSurgery.write(storage, file, table);
            assertThatThrownBy(() -> TableReader.open(storage, file, options))
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo(file.toString());
                        assertThat(e.offset()).isEqualTo(filter.offset());
                        assertThat(e.reason()).contains("filter 0").contains("no bit set");
                    });
            assertReported(verify(options), "BAD_FILTER", filter.offset());
        }
    }

    @Test
    void anAllZeroFilterBlockIsACorruptionAtOpen() throws IOException {
        TableOptions options = PLAIN.withBloomBitsPerKey(10);
        TableLayout.BlockInfo filter = writeWithFilter(options);
        byte[] table = TableSurgery.read(storage, file);
        TableSurgery.rewrite(table, filter.offset(), new byte[(int) filter.size()]);
        TableSurgery.write(storage, file, table);
        assertThatThrownBy(() -> TableReader.open(storage, file, options))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(filter.offset());
                    assertThat(e.reason()).contains("the filter for the data block at 0 is empty");
                });
        assertReported(verify(options), "BAD_FILTER", filter.offset());
    }

    private static byte[][] entry(byte[] key, String value) {
        return new byte[][] {key, b(value)};
    }

    @Test
    void keysOutOfOrderInsideABlockAreACorruptionOnEveryReadPath() throws IOException {
        List<byte[][]> entries = new ArrayList<>();
        for (int i = 100; i < 200; i++) {
            entries.add(entry(b(String.format("key%03d", i)), "v" + i));
        }
        for (int i = 0; i < 100; i++) {
            entries.add(entry(b(String.format("key%03d", i)), "v" + i));
        }
        TableSurgery.write(storage, file, TableSurgery.table(List.of(entries), List.of(b("key2")), 16));
        for (String key : List.of("key050", "key150", "key000")) {
            assertEveryReadFails(PLAIN, b(key), "does not sort after the key before it", 0L);
        }
        assertReported(verify(PLAIN), "KEY_ORDER", 0);
    }

    @Test
    void twoNeighbouringEntriesSwappedAreACorruptionOnEveryReadPath() throws IOException {
        List<byte[][]> entries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            entries.add(entry(b(String.format("key%03d", i)), "v" + i));
        }
        entries.set(20, entries.set(21, entries.get(20)));
        TableSurgery.write(storage, file, TableSurgery.table(List.of(entries), List.of(b("key1")), 16));
        assertEveryReadFails(PLAIN, b("key005"), "entry at byte", 0L);
        assertReported(verify(PLAIN), "KEY_ORDER", 0);
    }

    private static byte[] internal(String user, long sequence, int type) {
        byte[] key = InternalKey.encode(b(user), sequence, ValueType.PUT);
        key[key.length - InternalKey.TRAILER_SIZE] = (byte) type;
        return key;
    }

    @Test
    void anUnknownValueTypeIsACorruptionOnEveryReadPath() throws IOException {
        List<byte[][]> entries = List.<byte[][]>of(entry(internal("a", 3, 1), "1"), entry(internal("b", 2, 7), "2"),
                entry(internal("c", 1, 1), "3"));
        TableSurgery.write(storage, file, TableSurgery.table(List.of(entries), List.of(internal("d", 0, 1)), 16));
        for (String user : List.of("a", "b", "c")) {
            assertEveryReadFails(INTERNAL, internal(user, InternalKey.MAX_SEQUENCE, 1), "unknown value type 7", 0L);
        }
        assertReported(verify(INTERNAL), "BAD_KEY", 0);
    }

    @Test
    void anInternalKeyShorterThanItsTrailerIsACorruptionOnEveryReadPath() throws IOException {
        List<byte[][]> entries = List.<byte[][]>of(entry(internal("a", 3, 1), "1"), entry(b("bcdef"), "2"),
                entry(internal("c", 1, 1), "3"));
        TableSurgery.write(storage, file, TableSurgery.table(List.of(entries), List.of(internal("d", 0, 1)), 16));
        for (String user : List.of("a", "b", "c")) {
            assertEveryReadFails(INTERNAL, internal(user, InternalKey.MAX_SEQUENCE, 1),
                    "internal key of 5 bytes is shorter than its 8-byte trailer", 0L);
        }
        assertReported(verify(INTERNAL), "BAD_KEY", 0);
    }

    @Test
    void anIndexKeyShorterThanAnInternalKeyIsACorruptionAtOpen() throws IOException {
        List<byte[][]> entries = List.<byte[][]>of(entry(internal("a", 3, 1), "1"));
        byte[] table = TableSurgery.table(List.of(entries), List.of(b("b")), 16);
        TableSurgery.write(storage, file, table);
        long indexOffset = TableSurgery.footer(table).index().offset();
        assertThatThrownBy(() -> TableReader.open(storage, file, INTERNAL))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(indexOffset);
                    assertThat(e.reason()).contains("internal key of 1 bytes");
                });
        assertReported(verify(INTERNAL), "BAD_KEY", indexOffset);
    }

    @Test
    void aSoundTableStillReadsWholeBothWays() throws IOException {
        for (TableOptions options : List.of(PLAIN, INTERNAL, INTERNAL.withRestartInterval(1))) {
            NavigableMap<byte[], byte[]> entries = equalSizeEntries(options, 500);
            TableFixtures.write(storage, file, options, entries);
            try (TableReader reader = TableReader.open(storage, file, options);
                    InternalIterator iterator = reader.iterator()) {
                assertThat(TableFixtures.describe(TableFixtures.scan(iterator)))
                        .isEqualTo(TableFixtures.describe(entries));
                List<String> backward = TableFixtures.describe(TableFixtures.scanBackward(iterator));
                java.util.Collections.reverse(backward);
                assertThat(backward).isEqualTo(TableFixtures.describe(entries));
                for (byte[] key : entries.keySet()) {
                    assertThat(reader.get(key).key()).isEqualTo(key);
                }
            }
            assertThat(verify(options).isClean()).as("%s", verify(options)).isTrue();
            storage.delete(file);
        }
    }

}
