package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.sstable.TableFixtures.b;
import static org.lsmtree.sstable.TableFixtures.hex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.NativeLevelDb;

/**
 * Issue 11, points 3 and 4, on tables C++ LevelDB 1.23 wrote: blocks swapped and filters emptied
 * with every checksum kept valid are refused here as in our own tables ({@link TableLiesTest}).
 */
@Tag(NativeLevelDb.TAG)
class NativeTableDamageTest {
    private static final Storage STORAGE = NioStorage.onDefaultFileSystem();
    private static final TableOptions OPTIONS = TableFixtures.PLAIN;
    private static NativeLevelDb driver;

    @TempDir
    Path directory;

    @BeforeAll
    static void compile() throws IOException {
        driver = NativeLevelDb.compile(NativeTableDamageTest.class, "table_driver.cc", Path.of("target", "native"));
    }

    /** 300 entries of equal size, written by LevelDB with a bloom filter in 256-byte blocks. */
    private Path writeWithLevelDb(NavigableMap<byte[], byte[]> entries) throws IOException {
        for (int i = 0; i < 300; i++) {
            entries.put(b(String.format("key%06d", i)), b(String.format("value%015d", i)));
        }
        StringBuilder lines = new StringBuilder();
        entries.forEach((key, value) -> lines.append(hex(key)).append(' ').append(hex(value)).append('\n'));
        Path file = directory.resolve("000005.ldb");
        NativeLevelDb.Result result = driver.run(lines.toString().getBytes(StandardCharsets.US_ASCII), "write",
                file.toString(), "10", "none", "256", "16");
        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        return file;
    }

    @Test
    void theirEqualSizeBlocksSwappedAreRefusedOnEveryReadPath() throws IOException {
        NavigableMap<byte[], byte[]> entries = TableFixtures.sortedMap();
        Path file = writeWithLevelDb(entries);
        List<TableLayout.BlockInfo> blocks = TableLayout.read(STORAGE, file).dataBlocks();
        List<TableLayout.IndexEntry> index = TableLayout.read(STORAGE, file).indexEntries();
        int swapped = TableSurgery.swapEqualNeighbours(STORAGE, file);
        long at = blocks.get(swapped).offset();
        byte[] key = entries.higherKey(index.get(swapped - 1).separator());
        try (TableReader reader = TableReader.open(STORAGE, file, OPTIONS)) {
            assertThatThrownBy(() -> reader.get(key)).isInstanceOfSatisfying(CorruptionException.class, e -> {
                assertThat(e.file()).isEqualTo(file.toString());
                assertThat(e.offset()).isEqualTo(at);
                assertThat(e.reason()).contains("the block is not where the index puts it");
            });
            try (InternalIterator iterator = reader.iterator()) {
                assertThatThrownBy(() -> TableFixtures.scan(iterator)).isInstanceOf(CorruptionException.class);
                assertThatThrownBy(() -> TableFixtures.scanBackward(iterator)).isInstanceOf(CorruptionException.class);
            }
        }
        assertThat(new SstableVerifier(OPTIONS).verify(STORAGE, file).problems())
                .anySatisfy(problem -> assertThat(problem.kind()).isEqualTo("INDEX_MISMATCH"));
    }

    @Test
    void theirFilterWithItsBitsZeroedIsRefusedAtOpen() throws IOException {
        Path file = writeWithLevelDb(TableFixtures.sortedMap());
        TableLayout.BlockInfo filter = TableLayout.read(STORAGE, file).metaBlocks().stream()
                .filter(block -> block.kind().equals("filter")).findFirst().orElseThrow();
        byte[] table = TableSurgery.read(STORAGE, file);
        int at = (int) filter.offset();
        byte[] contents = Arrays.copyOfRange(table, at, at + (int) filter.size());
        int arrayOffset = LittleEndian.getFixed32(contents, contents.length - 5);
        int limit = LittleEndian.getFixed32(contents, arrayOffset + 4);
        Arrays.fill(contents, LittleEndian.getFixed32(contents, arrayOffset), limit - 1, (byte) 0);
        TableSurgery.rewrite(table, at, contents);
        TableSurgery.write(STORAGE, file, table);
        assertThatThrownBy(() -> TableReader.open(STORAGE, file, OPTIONS))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(filter.offset());
                    assertThat(e.reason()).contains("no bit set");
                });
    }
}
