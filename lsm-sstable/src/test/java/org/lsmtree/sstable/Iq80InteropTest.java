package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.table.BytewiseComparator;
import org.iq80.leveldb.table.FileChannelTable;
import org.iq80.leveldb.table.Table;
import org.iq80.leveldb.util.Slice;
import org.iq80.leveldb.util.Slices;
import org.iq80.leveldb.util.TableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;

/** Interop with the pure-Java LevelDB port (iq80 0.12): tables both ways, entry for entry. */
class Iq80InteropTest {
    private static final Storage STORAGE = NioStorage.onDefaultFileSystem();

    @TempDir
    Path directory;

    private static NavigableMap<byte[], byte[]> workload() {
        NavigableMap<byte[], byte[]> entries = TableFixtures.randomEntries(new Random(21), 4_000, 200);
        for (int i = 0; i < 300; i++) {
            entries.put(TableFixtures.b(String.format("shared-prefix-%04d", i)), TableFixtures.b("v" + i));
        }
        return entries;
    }

    private Path writeWithIq80(String name, Map<byte[], byte[]> entries) throws IOException {
        Path file = directory.resolve(name);
        Options options = new Options().compressionType(CompressionType.NONE).blockSize(4096).blockRestartInterval(16);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            org.iq80.leveldb.table.TableBuilder builder =
                    new org.iq80.leveldb.table.TableBuilder(options, channel, new BytewiseComparator());
            for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
                builder.add(Slices.wrappedBuffer(entry.getKey()), Slices.wrappedBuffer(entry.getValue()));
            }
            builder.finish();
        }
        return file;
    }

    private static List<TableEntry> readWithIq80(Path file) throws IOException {
        List<TableEntry> entries = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Table table = new FileChannelTable(file.toString(), channel, new BytewiseComparator(), true);
            TableIterator iterator = table.iterator();
            iterator.seekToFirst();
            while (iterator.hasNext()) {
                Map.Entry<Slice, Slice> entry = iterator.next();
                entries.add(new TableEntry(entry.getKey().getBytes(), entry.getValue().getBytes()));
            }
        }
        return entries;
    }

    @Test
    void tableWrittenByIq80ReadsBackEntryForEntryBothWays() throws IOException {
        NavigableMap<byte[], byte[]> entries = workload();
        Path file = writeWithIq80("iq80.ldb", entries);
        TableOptions options = TableFixtures.PLAIN.withVerifyChecksums(true);
        try (TableReader reader = TableReader.open(STORAGE, file, options);
                InternalIterator iterator = reader.iterator()) {
            assertThat(reader.hasFilter()).isFalse();
            List<String> expected = TableFixtures.describe(entries);
            assertThat(TableFixtures.describe(TableFixtures.scan(iterator))).isEqualTo(expected);
            assertThat(TableFixtures.describe(TableFixtures.scanBackward(iterator)))
                    .isEqualTo(TableFixtures.describe(entries.descendingMap()));
            for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
                assertThat(reader.get(entry.getKey()).value()).isEqualTo(entry.getValue());
            }
        }
        assertThat(new SstableVerifier(options).verify(STORAGE, file).problems()).isEmpty();
    }

    @Test
    void ourTableWithFilterAndPropertiesReadsBackInIq80EntryForEntry() throws IOException {
        NavigableMap<byte[], byte[]> entries = workload();
        Path file = directory.resolve("ours.ldb");
        TableFixtures.write(STORAGE, file, TableFixtures.PLAIN, entries);
        assertThat(TableFixtures.describe(readWithIq80(file))).isEqualTo(TableFixtures.describe(entries));
    }
}
