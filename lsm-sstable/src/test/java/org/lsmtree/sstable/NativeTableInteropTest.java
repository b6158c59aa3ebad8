package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.sstable.TableFixtures.b;
import static org.lsmtree.sstable.TableFixtures.hex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.NativeLevelDb;

/** Interop with C++ LevelDB 1.23: its tables read here, ours read there, bytes and filters agree. */
@Tag(NativeLevelDb.TAG)
class NativeTableInteropTest {
    private static final Storage STORAGE = NioStorage.onDefaultFileSystem();
    private static NativeLevelDb driver;

    @TempDir
    Path directory;

    @BeforeAll
    static void compile() throws IOException {
        driver = NativeLevelDb.compile(NativeTableInteropTest.class, "table_driver.cc", Path.of("target", "native"));
    }

    private static NavigableMap<byte[], byte[]> workload() {
        NavigableMap<byte[], byte[]> entries = TableFixtures.randomEntries(new Random(11), 3_000, 120);
        for (int i = 0; i < 500; i++) {
            entries.put(b(String.format("common/prefix/%05d", i)), b("v".repeat(i % 50)));
        }
        entries.put(new byte[0], b("empty key"));
        return entries;
    }

    private static byte[] lines(Map<byte[], byte[]> entries) {
        StringBuilder text = new StringBuilder();
        entries.forEach((key, value) -> text.append(hex(key)).append(' ').append(hex(value)).append('\n'));
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] keyLines(List<byte[]> keys) {
        StringBuilder text = new StringBuilder();
        keys.forEach(key -> text.append(hex(key)).append('\n'));
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private Path writeWithLevelDb(String name, int bits, String compression, Map<byte[], byte[]> entries)
            throws IOException {
        Path file = directory.resolve(name);
        NativeLevelDb.Result result = driver.run(lines(entries), "write", file.toString(), String.valueOf(bits),
                compression, "4096", "16");
        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        return file;
    }

    @Test
    void theirSnappyTableWithFilterReadsBackEntryForEntry() throws IOException {
        NavigableMap<byte[], byte[]> entries = workload();
        Path file = writeWithLevelDb("theirs.ldb", 10, "snappy", entries);
        TableOptions options = TableFixtures.PLAIN.withVerifyChecksums(true);
        try (TableReader reader = TableReader.open(STORAGE, file, options);
                InternalIterator iterator = reader.iterator()) {
            assertThat(reader.hasFilter()).isTrue();
            assertThat(reader.properties()).isEmpty();
            assertThat(TableFixtures.describe(TableFixtures.scan(iterator))).isEqualTo(TableFixtures.describe(entries));
            for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
                TableEntry found = reader.get(entry.getKey());
                assertThat(found).isNotNull();
                assertThat(found.value()).isEqualTo(entry.getValue());
            }
        }
        var report = new SstableVerifier(options).verify(STORAGE, file);
        assertThat(report.problems()).isEmpty();
        assertThat(report.count("snappy blocks")).as("LevelDB was built with Snappy").isPositive();
    }

    @Test
    void ourSnappyTableWithFilterAndPropertiesReadsBackInLevelDb() throws IOException {
        NavigableMap<byte[], byte[]> entries = workload();
        Path file = directory.resolve("ours.ldb");
        TableFixtures.write(STORAGE, file, TableFixtures.PLAIN.withCompression(Compression.SNAPPY), entries);
        String output = driver.runOrFail("read", file.toString(), "10");
        assertThat(output).isEqualTo(new String(lines(entries), StandardCharsets.US_ASCII));
    }

    @Test
    void ourUncompressedBytesEqualTheirsWithAndWithoutFilter() throws IOException {
        NavigableMap<byte[], byte[]> entries = workload();
        for (int bits : new int[] {0, 10}) {
            byte[] theirs = Files.readAllBytes(writeWithLevelDb("theirs" + bits + ".ldb", bits, "none", entries));
            Path ours = directory.resolve("ours" + bits + ".ldb");
            TableFixtures.write(STORAGE, ours, TableFixtures.PLAIN.withBloomBitsPerKey(bits).withProperties(false), entries);
            assertThat(Files.readAllBytes(ours)).as("bits per key %d", bits).isEqualTo(theirs);
        }
    }

    @Test
    void ourFiltersEqualLevelDbsByteForByteAndAnswerAlike() throws IOException {
        Random random = new Random(5);
        for (int bits : new int[] {1, 4, 10, 16, 50}) {
            for (int count : new int[] {0, 1, 3, 100, 2_000}) {
                List<byte[]> keys = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    byte[] key = new byte[random.nextInt(12)];
                    random.nextBytes(key);
                    keys.add(key);
                }
                byte[] ours = new BloomFilter(bits).create(keys);
                String theirs = driver.run(keyLines(keys), "filter", String.valueOf(bits)).stdoutText().trim();
                assertThat(hex(ours)).as("%d keys at %d bits", count, bits).isEqualTo(theirs);

                List<byte[]> probes = new ArrayList<>(keys);
                for (int i = 0; i < 300; i++) {
                    byte[] probe = new byte[random.nextInt(12)];
                    random.nextBytes(probe);
                    probes.add(probe);
                }
                String answers = driver.run(keyLines(probes), "match", String.valueOf(bits), hex(ours)).stdoutText();
                StringBuilder ourAnswers = new StringBuilder();
                for (byte[] probe : probes) {
                    ourAnswers.append(BloomFilter.mayContain(ours, 0, ours.length, probe) ? "1\n" : "0\n");
                }
                assertThat(ourAnswers.toString()).isEqualTo(answers);
            }
        }
    }

    @Test
    void tablesOfARealLevelDbStoreReadAsInternalKeysWithTheirFilters() throws IOException {
        Path store = directory.resolve("store");
        int count = 6_000;
        driver.runOrFail("db", store.toString(), String.valueOf(count));
        List<Path> tables;
        try (Stream<Path> files = Files.list(store)) {
            tables = files.filter(path -> path.toString().endsWith(".ldb")).sorted().toList();
        }
        assertThat(tables).isNotEmpty();
        List<String> live = new ArrayList<>();
        long absentBlockReads = 0;
        for (Path table : tables) {
            assertThat(new SstableVerifier(TableOptions.defaults()).verify(STORAGE, table).problems()).isEmpty();
            try (TableReader reader = TableReader.open(STORAGE, table, TableOptions.defaults().withVerifyChecksums(true));
                    InternalIterator iterator = reader.iterator()) {
                assertThat(reader.hasFilter()).isTrue();
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    InternalKey key = InternalKey.decode(iterator.key());
                    assertThat(key.type()).isEqualTo(ValueType.PUT);
                    String user = new String(key.userKey(), StandardCharsets.US_ASCII);
                    live.add(user);
                    TableEntry found = reader.get(InternalKey.encode(key.userKey(), InternalKey.MAX_SEQUENCE,
                            ValueType.FOR_SEEK));
                    assertThat(found).isNotNull();
                    assertThat(found.key()).isEqualTo(iterator.key());
                    assertThat(new String(found.value(), StandardCharsets.US_ASCII))
                            .startsWith("value" + Integer.parseInt(user.substring(3)));
                }
                long before = reader.dataBlockReads();
                for (int i = 0; i < 1_000; i++) {
                    reader.get(InternalKey.encode(b("absent" + i), InternalKey.MAX_SEQUENCE, ValueType.FOR_SEEK));
                }
                absentBlockReads += reader.dataBlockReads() - before;
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 7 != 0) {
                expected.add(String.format("key%06d", i));
            }
        }
        assertThat(live).containsExactlyElementsOf(expected);
        assertThat(absentBlockReads).as("absent keys the filters let through").isLessThan(tables.size() * 50L);
    }

}
