package org.lsmtree.leveldb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.testing.NativeLevelDb;

/**
 * Stores cross between the LevelDB implementations through the LevelDB API: one written through
 * our adapter (tables on several levels, the last writes still in the log) opens in the pure-Java
 * port 0.12 (with {@code .sst} names, which is all the port reads, and uncompressed, as the port
 * has no Snappy library here) and in C++ LevelDB 1.23 (with the API's default, Snappy); stores
 * written by either open through our adapter with every key, forward and backward. The C++ tests
 * carry the {@value NativeLevelDb#TAG} tag and run where LevelDB's headers are installed.
 */
class InteropTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    File directory;

    /** One operation: a put of {@code value} (hex, "." for empty) or, when null, a delete. */
    private record Op(String key, String value) {}

    /** Six thousand puts and deletes over 2500 keys, enough for several tables at 64 KiB. */
    private static List<Op> workload(long seed) {
        Random random = new Random(seed);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            String key = HEX.formatHex(("user" + random.nextInt(2500)).getBytes(StandardCharsets.US_ASCII));
            byte[] value = new byte[random.nextInt(6) == 0 ? 0 : random.nextInt(180) + 1];
            random.nextBytes(value);
            ops.add(new Op(key, random.nextInt(7) == 0 ? null : hex(value)));
        }
        return ops;
    }

    private static TreeMap<String, String> expected(List<Op> ops) {
        TreeMap<String, String> model = new TreeMap<>();
        for (Op op : ops) {
            if (op.value() == null) {
                model.remove(op.key());
            } else {
                model.put(op.key(), op.value());
            }
        }
        return model;
    }

    /** Applies {@code ops} through {@code factory}: compacted once a third in, the last third in the log. */
    private static void write(DBFactory factory, File store, Options options, List<Op> ops, boolean compact)
            throws IOException {
        try (DB db = factory.open(store, options.writeBufferSize(64 << 10))) {
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                if (op.value() == null) {
                    db.delete(HEX.parseHex(op.key()));
                } else {
                    db.put(HEX.parseHex(op.key()), bytes(op.value()));
                }
                if (compact && i == ops.size() / 3) {
                    db.compactRange(null, null);
                }
            }
        }
    }

    @Test
    void aStoreWrittenThroughUsOpensInIq80WithSstNames() throws IOException {
        File store = new File(directory, "ours");
        List<Op> ops = workload(1);
        write(LsmDBFactory.factory.withLegacyTableFileNames(true), store,
                new Options().compressionType(CompressionType.NONE), ops, true);
        assertThat(store.list()).filteredOn(name -> name.endsWith(".sst")).hasSizeGreaterThan(1);
        assertThat(store.list()).noneMatch(name -> name.endsWith(".ldb"));
        assertThat(store.list()).filteredOn(name -> name.endsWith(".log")).isNotEmpty(); // one, or two when close came before a flush
        try (DB db = Iq80DBFactory.factory.open(store, new Options().createIfMissing(false))) {
            assertThat(forward(db)).isEqualTo(expected(ops));
        }
    }

    @Test
    void aStoreWrittenByIq80OpensThroughUsWithEveryKey() throws IOException {
        File store = new File(directory, "iq80");
        List<Op> ops = workload(2);
        write(Iq80DBFactory.factory, store, new Options(), ops, false);
        assertThat(store.list()).filteredOn(name -> name.endsWith(".sst")).hasSizeGreaterThan(1);
        assertOpensThroughUs(store, expected(ops));
    }

    @Test
    @Tag(NativeLevelDb.TAG)
    void aStoreWrittenThroughUsOpensInCppLevelDb() throws IOException {
        File store = new File(directory, "ours");
        List<Op> ops = workload(3);
        write(LsmDBFactory.factory, store, new Options(), ops, true); // Snappy, the API's default
        TreeMap<String, String> seen = new TreeMap<>();
        for (String line : driver().runOrFail("dump", store.getPath()).lines().toList()) {
            String[] fields = line.split(" ");
            seen.put(fields[0], fields[1]);
        }
        assertThat(seen).isEqualTo(expected(ops));
    }

    @Test
    @Tag(NativeLevelDb.TAG)
    void aStoreWrittenByCppLevelDbOpensThroughUsWithEveryKey() throws IOException {
        File store = new File(directory, "cpp");
        List<Op> ops = workload(4);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            input.append(op.value() == null ? "D " + op.key() : "P " + op.key() + " " + op.value()).append('\n');
            if (i == ops.size() / 2) {
                input.append("C\n");
            }
        }
        NativeLevelDb.Result result = driver().run(input.toString().getBytes(StandardCharsets.US_ASCII), "load",
                store.getPath());
        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        assertThat(store.list()).filteredOn(name -> name.endsWith(".ldb")).hasSizeGreaterThan(1);
        assertOpensThroughUs(store, expected(ops));
    }

    private static void assertOpensThroughUs(File store, TreeMap<String, String> expected) throws IOException {
        try (DB db = LsmDBFactory.factory.open(store, new Options().createIfMissing(false).paranoidChecks(true))) {
            assertThat(forward(db)).isEqualTo(expected);
            List<String> backward = new ArrayList<>();
            try (DBIterator it = db.iterator()) {
                for (it.seek(new byte[] {(byte) 0xff}); it.hasPrev(); ) {
                    backward.add(HEX.formatHex(it.prev().getKey()));
                }
            }
            assertThat(backward).isEqualTo(new ArrayList<>(expected.descendingKeySet()));
            for (Map.Entry<String, String> entry : expected.entrySet()) {
                assertThat(hex(db.get(HEX.parseHex(entry.getKey())))).isEqualTo(entry.getValue());
            }
        }
    }

    private static TreeMap<String, String> forward(DB db) throws IOException {
        TreeMap<String, String> seen = new TreeMap<>();
        try (DBIterator it = db.iterator()) {
            for (it.seekToFirst(); it.hasNext(); ) {
                Map.Entry<byte[], byte[]> entry = it.next();
                seen.put(HEX.formatHex(entry.getKey()), hex(entry.getValue()));
            }
        }
        return seen;
    }

    private static NativeLevelDb driver() throws IOException {
        return NativeLevelDb.storeDriver(Path.of("target", "native"));
    }

    private static byte[] bytes(String hex) {
        return hex.equals(".") ? new byte[0] : HEX.parseHex(hex);
    }

    private static String hex(byte[] bytes) {
        return bytes.length == 0 ? "." : HEX.formatHex(bytes);
    }
}
