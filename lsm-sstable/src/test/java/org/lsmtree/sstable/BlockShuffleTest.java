package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.sstable.TableFixtures.b;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.Storage;

/**
 * Seeded random moves of whole data blocks that keep every checksum valid (swaps of equal-size
 * blocks, one block copied over another): every read either gives exactly what was written or a
 * {@link CorruptionException}, never another entry. Prints its seed; rerun one with
 * {@code -Dlsm.shuffle.seed=N}.
 */
class BlockShuffleTest {
    private static final int CASES = 120;

    private final Path file = TableFixtures.jimfsFile("000013.ldb");
    private final Storage storage = TableFixtures.storageOf(file);

    @Test
    void movedBlocksNeverServeAnEntryThatWasNotWrittenThere() throws IOException {
        long base = Long.getLong("lsm.shuffle.seed", System.nanoTime());
        int cases = Long.getLong("lsm.shuffle.seed") == null ? CASES : 1;
        System.out.println("BlockShuffleTest seed " + base);
        int refused = 0;
        for (int i = 0; i < cases; i++) {
            long seed = base + i;
            refused += runCase(seed) ? 1 : 0;
        }
        assertThat(refused).as("seed %d: cases refused", base).isEqualTo(cases);
    }

    /** One case; whether a read was refused (every case moves a block, so each must be). */
    private boolean runCase(long seed) throws IOException {
        Random random = new Random(seed);
        for (int attempt = 0; attempt < 50; attempt++) {
            Boolean refused = tryCase(seed, random);
            if (refused != null) {
                return refused;
            }
        }
        throw new AssertionError("seed " + seed + ": no table with two data blocks of equal size in 50 attempts");
    }

    /** A case on a random table; null when the table has no two data blocks of equal size. */
    private Boolean tryCase(long seed, Random random) throws IOException {
        boolean internal = random.nextBoolean();
        TableOptions options = (internal ? TableOptions.defaults() : TableFixtures.PLAIN)
                .withBlockSize(128 + random.nextInt(512)).withRestartInterval(1 + random.nextInt(16))
                .withBloomBitsPerKey(random.nextBoolean() ? 10 : 0);
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(options.comparator());
        int count = 100 + random.nextInt(300);
        int valueSize = random.nextInt(40);
        for (int i = 0; i < count; i++) {
            byte[] user = b(String.format("k%07d", i * 3));
            entries.put(internal ? InternalKey.encode(user, 1 + i, i % 5 == 0 ? ValueType.DELETE : ValueType.PUT) : user,
                    Arrays.copyOf(b("v" + i), valueSize));
        }
        TableFixtures.write(storage, file, options, entries);
        List<TableLayout.BlockInfo> blocks = TableLayout.read(storage, file).dataBlocks();
        byte[] table = TableSurgery.read(storage, file);
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < blocks.size(); a++) {
            for (int c = a + 1; c < blocks.size(); c++) {
                if (blocks.get(a).size() == blocks.get(c).size()) {
                    pairs.add(new int[] {a, c});
                }
            }
        }
        if (pairs.isEmpty()) {
            storage.delete(file);
            return null;
        }
        int[] pair = pairs.get(random.nextInt(pairs.size()));
        TableLayout.BlockInfo from = blocks.get(random.nextBoolean() ? pair[0] : pair[1]);
        TableLayout.BlockInfo to = from == blocks.get(pair[0]) ? blocks.get(pair[1]) : blocks.get(pair[0]);
        if (random.nextBoolean()) {
            TableSurgery.swap(table, from.offset(), to.offset(), from.size());
        } else {
            System.arraycopy(table, (int) from.offset(), table, (int) to.offset(), (int) from.size() + 5);
        }
        TableSurgery.write(storage, file, table);
        return readsAreRightOrRefused(seed, options, entries);
    }

    private boolean readsAreRightOrRefused(long seed, TableOptions options, NavigableMap<byte[], byte[]> entries)
            throws IOException {
        boolean refused = false;
        List<String> expected = TableFixtures.describe(entries);
        try (TableReader reader = TableReader.open(storage, file, options)) {
            try (InternalIterator iterator = reader.iterator()) {
                assertThat(TableFixtures.describe(TableFixtures.scan(iterator))).as("seed %d", seed).isEqualTo(expected);
            } catch (CorruptionException e) {
                refused = true;
            }
            try (InternalIterator iterator = reader.iterator()) {
                List<String> backward = TableFixtures.describe(TableFixtures.scanBackward(iterator));
                java.util.Collections.reverse(backward);
                assertThat(backward).as("seed %d", seed).isEqualTo(expected);
            } catch (CorruptionException e) {
                refused = true;
            }
            for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
                try {
                    TableEntry found = reader.get(entry.getKey());
                    assertThat(found).as("seed %d", seed).isNotNull();
                    assertThat(found.key()).as("seed %d", seed).isEqualTo(entry.getKey());
                    assertThat(found.value()).as("seed %d", seed).isEqualTo(entry.getValue());
                } catch (CorruptionException e) {
                    assertThat(e.file()).isEqualTo(file.toString());
                    refused = true;
                }
            }
        }
        return refused;
    }
}
