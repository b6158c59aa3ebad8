package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.testing.NativeLevelDb;

/**
 * Stores cross between LevelDB and us, both ways: a store written by iq80 LevelDB and one written
 * by C++ LevelDB 1.23 open here with every key and value, and a store we wrote (tables on several
 * levels and a live WAL) opens in both of them with every key and value.
 */
class DbInteropTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path directory;

    /** Puts (value) and deletes (null), in order, over enough data to make several tables. */
    private static List<String[]> workload(long seed) {
        Random random = new Random(seed);
        List<String[]> ops = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            String key = HEX.formatHex(("key" + random.nextInt(2500)).getBytes(StandardCharsets.US_ASCII));
            if (random.nextInt(6) == 0) {
                ops.add(new String[] {key, null});
            } else {
                byte[] value = new byte[random.nextInt(200)];
                random.nextBytes(value);
                ops.add(new String[] {key, value.length == 0 ? "." : HEX.formatHex(value)});
            }
        }
        return ops;
    }

    private static Map<String, String> model(List<String[]> ops) {
        Map<String, String> model = new TreeMap<>();
        for (String[] op : ops) {
            if (op[1] == null) {
                model.remove(op[0]);
            } else {
                model.put(op[0], op[1]);
            }
        }
        return model;
    }

    @Test
    void aStoreWrittenByIq80OpensHereWithEveryKeyAndValue() throws IOException {
        Path store = directory.resolve("iq80");
        List<String[]> ops = workload(1);
        try (DB db = Iq80DBFactory.factory.open(store.toFile(),
                new org.iq80.leveldb.Options().createIfMissing(true).writeBufferSize(64 << 10))) {
            for (String[] op : ops) {
                if (op[1] == null) {
                    db.delete(bytes(op[0]));
                } else {
                    db.put(bytes(op[0]), bytes(op[1]));
                }
            }
        }
        assertThat(count(store, ".ldb") + count(store, ".sst")).as("iq80 wrote tables").isGreaterThan(1);
        try (Db db = Db.open(store, Options.defaults().withCreateIfMissing(false).withParanoidChecks(true))) {
            assertThat(dump(db)).isEqualTo(model(ops));
        }
    }

    @Test
    void ourStoreOpensInIq80WithEveryKeyAndValue() throws IOException {
        Path store = directory.resolve("ours");
        List<String[]> ops = writeOurs(store, true); // iq80 0.12 knows tables by their pre-1.14 name only
        Map<String, String> seen = new TreeMap<>();
        try (DB db = Iq80DBFactory.factory.open(store.toFile(), new org.iq80.leveldb.Options().createIfMissing(false));
                DBIterator it = db.iterator()) {
            for (it.seekToFirst(); it.hasNext(); ) {
                var entry = it.next();
                seen.put(HEX.formatHex(entry.getKey()), hex(entry.getValue()));
            }
        }
        assertThat(seen).isEqualTo(model(ops));
    }

    @Test
    @Tag(NativeLevelDb.TAG)
    void aStoreWrittenByCppLevelDbOpensHereWithEveryKeyAndValue() throws IOException {
        Path store = directory.resolve("cpp");
        List<String[]> ops = workload(3);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            String[] op = ops.get(i);
            input.append(op[1] == null ? "D " + op[0] : "P " + op[0] + " " + op[1]).append('\n');
            if (i == ops.size() / 2) {
                input.append("C\n");
            }
        }
        NativeLevelDb.Result result = driver().run(input.toString().getBytes(StandardCharsets.US_ASCII), "load",
                store.toString());
        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        assertThat(count(store, ".ldb")).as("C++ LevelDB wrote tables").isGreaterThan(1);
        try (Db db = Db.open(store, Options.defaults().withCreateIfMissing(false).withParanoidChecks(true))) {
            assertThat(dump(db)).isEqualTo(model(ops));
        }
    }

    @Test
    @Tag(NativeLevelDb.TAG)
    void ourStoreOpensInCppLevelDbWithEveryKeyAndValue() throws IOException {
        Path store = directory.resolve("ours");
        List<String[]> ops = writeOurs(store, false);
        Map<String, String> seen = new TreeMap<>();
        for (String line : driver().runOrFail("dump", store.toString()).lines().toList()) {
            String[] parts = line.split(" ");
            seen.put(parts[0], parts[1]);
        }
        assertThat(seen).isEqualTo(model(ops));
    }

    @Test
    @Tag(NativeLevelDb.TAG)
    void aStoreOurBackgroundCompactionShapedCompactsFurtherInCppLevelDbAndOpensBack() throws IOException {
        Path store = directory.resolve("shaped");
        List<String[]> ops = workload(4);
        org.lsmtree.testing.ManualExecutor background = new org.lsmtree.testing.ManualExecutor(4);
        Options options = Options.defaults().withWriteBufferSize(16 << 10).withTargetFileSize(16 << 10)
                .withLevelSizes(64 << 10, 4).withBackgroundExecutor(background);
        try (Db db = Db.open(store, options)) {
            for (String[] op : ops) {
                if (op[1] == null) {
                    db.delete(bytes(op[0]), WriteOptions.noSync());
                } else {
                    db.put(bytes(op[0]), bytes(op[1]), WriteOptions.noSync());
                }
                background.runAll();
            }
            assertThat(levelsWithFiles(db)).as(db.property("lsm.stats")).isGreaterThanOrEqualTo(2);
            assertThat(db.core().internals().versions().current().state().compactPointers())
                    .as("compact pointers the MANIFEST hands to LevelDB").isNotEmpty();
        }
        NativeLevelDb.Result compacted = driver().run("C\n".getBytes(StandardCharsets.US_ASCII), "load",
                store.toString());
        assertThat(compacted.exitCode()).as(compacted.stderrText()).isZero();
        Map<String, String> seen = new TreeMap<>();
        for (String line : driver().runOrFail("dump", store.toString()).lines().toList()) {
            String[] parts = line.split(" ");
            seen.put(parts[0], parts[1]);
        }
        assertThat(seen).isEqualTo(model(ops));
        try (Db db = Db.open(store, Options.defaults().withCreateIfMissing(false).withParanoidChecks(true)
                .withBackgroundExecutor(background))) {
            assertThat(dump(db)).isEqualTo(model(ops));
        }
    }

    /** Writes the workload with our engine: tables on two or more levels, the tail left in the WAL. */
    private static List<String[]> writeOurs(Path store, boolean legacyNames) throws IOException {
        List<String[]> ops = workload(2);
        org.lsmtree.testing.ManualExecutor background = new org.lsmtree.testing.ManualExecutor(2);
        try (Db db = Db.open(store, Options.defaults().withWriteBufferSize(64 << 10)
                .withLegacyTableFileNames(legacyNames).withBackgroundExecutor(background))) {
            for (int i = 0; i < ops.size(); i++) {
                String[] op = ops.get(i);
                if (op[1] == null) {
                    db.delete(bytes(op[0]), WriteOptions.noSync());
                } else {
                    db.put(bytes(op[0]), bytes(op[1]), WriteOptions.noSync());
                }
                background.runAll(); // background flushes and compactions done before the next write
                if (i == ops.size() / 3) {
                    db.compactRange(null, null);
                }
                if (i == 2 * ops.size() / 3) {
                    db.flush();
                }
            }
            assertThat(levelsWithFiles(db)).as(db.property("lsm.stats")).isGreaterThanOrEqualTo(2);
        }
        assertThat(Files.size(onlyLog(store))).as("a live WAL").isPositive();
        assertThat(count(store, legacyNames ? ".sst" : ".ldb")).isGreaterThan(1);
        assertThat(count(store, legacyNames ? ".ldb" : ".sst")).isZero();
        return ops;
    }

    private static int levelsWithFiles(Db db) {
        int levels = 0;
        for (int level = 0; level < 7; level++) {
            if (!db.property("lsm.num-files-at-level" + level).equals("0")) {
                levels++;
            }
        }
        return levels;
    }

    private static Map<String, String> dump(Db db) throws IOException {
        Map<String, String> seen = new TreeMap<>();
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                seen.put(HEX.formatHex(it.key()), hex(it.value()));
            }
        }
        for (Map.Entry<String, String> entry : seen.entrySet()) {
            assertThat(hex(db.get(bytes(entry.getKey())))).isEqualTo(entry.getValue());
        }
        return seen;
    }

    private static NativeLevelDb driver() throws IOException {
        return NativeLevelDb.storeDriver(Path.of("target", "native"));
    }

    private static long count(Path store, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }

    private static Path onlyLog(Path store) throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            List<Path> logs = files.filter(p -> p.toString().endsWith(".log")).toList();
            assertThat(logs).hasSize(1);
            return logs.get(0);
        }
    }

    private static byte[] bytes(String hex) {
        return hex.equals(".") ? new byte[0] : HEX.parseHex(hex);
    }

    private static String hex(byte[] bytes) {
        return bytes.length == 0 ? "." : HEX.formatHex(bytes);
    }
}
