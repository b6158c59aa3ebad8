package org.lsmtree.leveldb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.leveldb.DbContractTest.b;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How programs find our factory, and how it maps and checks the LevelDB API's options. */
class LsmDBFactoryTest {
    @TempDir
    File directory;

    @Test
    void theFactoryIsFoundByItsStaticFieldByClassNameAndByServiceLoader() throws Exception {
        Class<?> type = Class.forName("org.lsmtree.leveldb.LsmDBFactory");
        assertThat(type.getField("factory").get(null)).isSameAs(LsmDBFactory.factory);
        assertThat(type.getConstructor().newInstance()).isInstanceOf(DBFactory.class);
        List<String> found = new ArrayList<>();
        ServiceLoader.load(DBFactory.class).forEach(factory -> found.add(factory.getClass().getName()));
        assertThat(found).contains("org.lsmtree.leveldb.LsmDBFactory");
        try (DB db = ((DBFactory) type.getConstructor().newInstance()).open(new File(directory, "db"), new Options())) {
            db.put(b("k"), b("v"));
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void bytesAndAsStringAreUtf8AndPassNullThrough() {
        assertThat(LsmDBFactory.bytes("käse")).isEqualTo(new byte[] {'k', (byte) 0xc3, (byte) 0xa4, 's', 'e'});
        assertThat(LsmDBFactory.asString(LsmDBFactory.bytes("käse"))).isEqualTo("käse");
        assertThat(LsmDBFactory.bytes(null)).isNull();
        assertThat(LsmDBFactory.asString(null)).isNull();
    }

    @Test
    void anOptionTheEngineCannotHonourFailsAtOpenNamingIt() {
        assertRefused(new Options().writeBufferSize(100), "writeBufferSize 100");
        assertRefused(new Options().blockSize(10), "blockSize 10");
        assertRefused(new Options().blockRestartInterval(0), "blockRestartInterval 0");
        assertRefused(new Options().maxOpenFiles(0), "maxOpenFiles 0");
        assertRefused(new Options().cacheSize(-1), "cacheSize -1");
        assertThat(new File(directory, "db")).as("nothing was created").doesNotExist();
    }

    @Test
    void aCacheSizeSizesTheBlockCacheAndTheLoggerHearsTheAdaptersLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (DB db = LsmDBFactory.factory.open(new File(directory, "db"),
                new Options().cacheSize(3 << 20).logger(lines::add))) {
            db.put(b("k"), b("v"));
            db.compactRange(null, null);
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
            assertThat(db.getProperty("lsm.block-cache")).contains(" of 3145728 bytes used");
        }
        assertThat(lines).anyMatch(line -> line.startsWith("opened ") && line.contains("last sequence 0"))
                .anyMatch(line -> line.equals("compacted range [unbounded, unbounded]"))
                .anyMatch(line -> line.equals("closed"));
    }

    @Test
    void snappyTheApiDefaultCompressesTablesAndNoneDoesNot() throws IOException {
        long snappy = tableBytes("snappy", new Options());
        long none = tableBytes("none", new Options().compressionType(CompressionType.NONE));
        assertThat(none).as("200 KiB of repetitive values, uncompressed").isGreaterThan(200_000);
        assertThat(snappy).as("the same, Snappy-compressed").isLessThan(none / 4);
    }

    @Test
    void theComparatorNameIsWhatTheStoreRecords() throws IOException {
        File store = new File(directory, "db");
        LsmDBFactory.factory.open(store, new Options().comparator(new DbContractTest.ReverseComparator())).close();
        assertThatThrownBy(() -> LsmDBFactory.factory.open(store, new Options()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("test.ReverseBytewise")
                .hasMessageContaining("leveldb.BytewiseComparator");
        LsmDBFactory.factory.open(store, new Options().comparator(new DbContractTest.ReverseComparator())).close();
    }

    @Test
    void legacyTableFileNamesAreAskedOfTheFactory() throws IOException {
        File store = new File(directory, "db");
        try (DB db = LsmDBFactory.factory.withLegacyTableFileNames(true).open(store, new Options())) {
            db.put(b("k"), b("v"));
            db.compactRange(null, null);
        }
        assertThat(store.list()).anyMatch(name -> name.endsWith(".sst")).noneMatch(name -> name.endsWith(".ldb"));
        try (DB db = LsmDBFactory.factory.open(store, new Options())) {
            db.put(b("k2"), b("v2"));
            db.compactRange(null, null);
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
        assertThat(store.list()).anyMatch(name -> name.endsWith(".ldb"));
    }

    private long tableBytes(String name, Options options) throws IOException {
        File store = new File(directory, name);
        try (DB db = LsmDBFactory.factory.open(store, options)) {
            for (int i = 0; i < 1000; i++) {
                db.put(DbContractTest.key(i), DbContractTest.bigValue("v"));
            }
            db.compactRange(null, null);
        }
        long bytes = 0;
        for (File file : store.listFiles((dir, file) -> file.endsWith(".ldb"))) {
            bytes += Files.size(file.toPath());
        }
        return bytes;
    }

    private void assertRefused(Options options, String named) {
        assertThatThrownBy(() -> LsmDBFactory.factory.open(new File(directory, "db"), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option " + named);
    }
}
