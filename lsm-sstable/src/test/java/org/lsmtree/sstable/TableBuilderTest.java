package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.sstable.TableFixtures.b;

import java.io.IOException;
import java.nio.file.Path;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;

class TableBuilderTest {
    private final Path file = TableFixtures.jimfsFile("000003.ldb");
    private final Storage storage = TableFixtures.storageOf(file);

    @Test
    void aKeyOutOfOrderOrRepeatedIsTheCallersMistake() throws IOException {
        try (WritableFile out = storage.create(file); TableBuilder builder = new TableBuilder(out, TableFixtures.PLAIN)) {
            builder.add(b("b"), b("1"));
            assertThatThrownBy(() -> builder.add(b("a"), b("2"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> builder.add(b("b"), b("2"))).isInstanceOf(IllegalArgumentException.class);
            builder.add(b("c"), b("3"));
            assertThat(builder.entryCount()).isEqualTo(2);
        }
    }

    @Test
    void finishReportsSizeCountAndKeyRangeAndRefusesMoreEntries() throws IOException {
        try (WritableFile out = storage.create(file); TableBuilder builder = new TableBuilder(out, TableFixtures.PLAIN)) {
            builder.add(b("apple"), b("1"));
            builder.add(b("banana"), b("22"));
            long size = builder.finish();
            assertThat(size).isEqualTo(out.size()).isEqualTo(builder.fileSize());
            assertThat(builder.entryCount()).isEqualTo(2);
            assertThat(builder.smallestKey()).isEqualTo(b("apple"));
            assertThat(builder.largestKey()).isEqualTo(b("banana"));
            assertThatThrownBy(() -> builder.add(b("cherry"), b("3"))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void propertiesRecordCountsSequencesAndCreatorAndReadBack() throws IOException {
        NavigableMap<byte[], byte[]> entries = TableFixtures.internalEntries(2_000);
        entries.put(InternalKey.encode(b("key000005"), 9_000, ValueType.DELETE), new byte[0]);
        TableFixtures.write(storage, file, TableOptions.defaults(), entries);
        try (TableReader reader = TableReader.open(storage, file, TableOptions.defaults())) {
            TableProperties properties = reader.properties().orElseThrow();
            assertThat(properties.entries()).isEqualTo(2_001);
            assertThat(properties.smallestSequence()).isEqualTo(1);
            assertThat(properties.largestSequence()).isEqualTo(9_000);
            assertThat(properties.rawKeyBytes()).isEqualTo(2_001L * (9 + 8));
            assertThat(properties.dataBlocks()).isGreaterThan(5);
            assertThat(properties.creator()).isEqualTo(TableProperties.CREATOR);
        }
        var report = new SstableVerifier(TableOptions.defaults()).verify(storage, file);
        assertThat(report.problems()).isEmpty();
        assertThat(report.count("entries")).isEqualTo(2_001);
    }

    @Test
    void lookupOfAnAbsentUserKeyUsuallySkipsTheDataBlock() throws IOException {
        TableFixtures.write(storage, file, TableOptions.defaults(), TableFixtures.internalEntries(5_000));
        try (TableReader reader = TableReader.open(storage, file, TableOptions.defaults())) {
            for (int i = 0; i < 1_000; i++) {
                assertThat(reader.get(InternalKey.encode(b(String.format("key%06da", i)), InternalKey.MAX_SEQUENCE,
                        ValueType.FOR_SEEK))).satisfiesAnyOf(
                                entry -> assertThat(entry).isNull(),
                                entry -> assertThat(InternalKey.userKeyOf(entry.key())).isNotEqualTo(
                                        b(String.format("key%06da", 0))));
            }
            assertThat(reader.dataBlockReads()).isLessThan(50);
            long before = reader.dataBlockReads();
            TableEntry found = reader.get(InternalKey.encode(b("key000123"), InternalKey.MAX_SEQUENCE, ValueType.FOR_SEEK));
            assertThat(InternalKey.decode(found.key()).sequence()).isEqualTo(124);
            assertThat(reader.dataBlockReads()).isEqualTo(before + 1);
        }
    }

    @Test
    void blocksComeFromTheCacheOnceCached() throws IOException {
        TableFixtures.write(storage, file, TableOptions.defaults(), TableFixtures.internalEntries(3_000));
        java.util.Map<String, Block> cached = new java.util.concurrent.ConcurrentHashMap<>();
        BlockCache cache = new BlockCache() {
            @Override
            public Block get(long tableId, long blockOffset) {
                return cached.get(tableId + "@" + blockOffset);
            }

            @Override
            public void put(long tableId, long blockOffset, Block block) {
                cached.put(tableId + "@" + blockOffset, block);
            }
        };
        try (TableReader reader = TableReader.open(storage, file, -1, TableOptions.defaults(), cache, 3)) {
            TableFixtures.scan(reader.iterator(false));
            long reads = reader.dataBlockReads();
            assertThat(cached).hasSize((int) reads).allSatisfy((key, block) -> assertThat(key).startsWith("3@"));
            TableFixtures.scan(reader.iterator(false));
            assertThat(reader.dataBlockReads()).isEqualTo(reads);
            TableFixtures.scan(reader.iterator(true)); // unverified cached blocks are read again, checked
            assertThat(reader.dataBlockReads()).isEqualTo(2 * reads);
            assertThat(cached.values()).allSatisfy(block -> assertThat(block.checksumVerified()).isTrue());
        }
    }
}
