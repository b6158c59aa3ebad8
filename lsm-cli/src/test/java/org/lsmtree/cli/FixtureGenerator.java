package org.lsmtree.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;
import org.lsmtree.testing.NativeLevelDb;
import org.lsmtree.wal.WriteBatch;

/**
 * Public only so that exec:java can call {@link #main}. Writes the fixture files of the golden tests into {@code src/test/resources/fixtures} (run from
 * the module directory; the tests read only the checked-in files, never this):
 *
 * <pre>
 * mvn -B -q -pl lsm-cli exec:java -Dexec.mainClass=org.lsmtree.cli.FixtureGenerator -Dexec.classpathScope=test
 * </pre>
 *
 * <ul>
 *   <li>{@code cpp-store/}: C++ LevelDB 1.23 through {@code fixture_driver.c} (bloom filter, Snappy);
 *   <li>{@code iq80-store/}: iq80 LevelDB 0.12 (legacy {@code .sst} names, no filter);
 *   <li>{@code our-store/}: our engine (properties blocks);
 *   <li>{@code damaged/}: copies with a flipped bit in a data block, a torn log tail, a flipped bit in a
 *       MANIFEST, a log under a table's name; {@code damaged-store/} with a table missing and an orphan.
 * </ul>
 * Info logs ({@code LOG}) and {@code LOCK} files are left out: they hold timestamps or nothing.
 */
public final class FixtureGenerator {
    private FixtureGenerator() {}

    public static void main(String[] args) throws IOException {
        Path fixtures = Path.of(args.length > 0 ? args[0] : "src/test/resources/fixtures");
        deleteTree(fixtures);
        Files.createDirectories(fixtures);
        Path work = Files.createTempDirectory("lsm-fixtures");
        cppStore(work.resolve("cpp"), fixtures.resolve("cpp-store"));
        iq80Store(work.resolve("iq80"), fixtures.resolve("iq80-store"));
        ourStore(work.resolve("ours"), fixtures.resolve("our-store"));
        damaged(fixtures);
        deleteTree(work);
    }

    private static void cppStore(Path work, Path target) throws IOException {
        NativeLevelDb driver = NativeLevelDb.compile(FixtureGenerator.class, "fixture_driver.c", Path.of("target", "native"));
        driver.runOrFail(work.toString());
        copyStore(work, target);
    }

    private static void iq80Store(Path work, Path target) throws IOException {
        try (DB db = Iq80DBFactory.factory.open(work.toFile(),
                new org.iq80.leveldb.Options().createIfMissing(true).writeBufferSize(4096)
                        .compressionType(org.iq80.leveldb.CompressionType.NONE))) {
            for (int i = 0; i < 200; i++) {
                db.put(bytes(String.format("iq80-%03d", i)), bytes("value " + i + " from iq80 0.12"));
            }
            db.delete(bytes("iq80-050"));
            // iq80 0.12 has no compactRange; 200 entries overflow the 4 KiB write buffer into tables
            db.put(new byte[] {1, 2, 3}, new byte[] {(byte) 0xca, (byte) 0xfe});
            db.put(bytes("after compaction"), bytes("in the log"));
            sleep(); // iq80 0.12 does not wait for a running flush on close; let it finish its MANIFEST edit
        }
        copyStore(work, target);
    }

    private static void ourStore(Path work, Path target) throws IOException {
        try (Db db = Db.open(work, Options.defaults())) {
            for (int i = 0; i < 60; i++) {
                db.put(bytes(String.format("ours-%02d", i)), bytes("value " + i));
            }
            db.delete(bytes("ours-07"));
            db.flush();
            db.write(new WriteBatch().put(bytes("with space"), bytes("a b c")).put(bytes("empty"), new byte[0])
                    .delete(bytes("ours-08")), org.lsmtree.engine.WriteOptions.defaults());
            db.put(new byte[] {0, (byte) 0xff}, bytes("binary key"));
        }
        copyStore(work, target);
    }

    private static void damaged(Path fixtures) throws IOException {
        Path damaged = Files.createDirectories(fixtures.resolve("damaged"));
        Path cpp = fixtures.resolve("cpp-store");
        Path table = only(cpp, ".ldb");
        byte[] tableBytes = Files.readAllBytes(table);
        tableBytes[800] ^= 0x10; // inside the second data block
        Files.write(damaged.resolve("000005.ldb"), tableBytes);
        byte[] log = Files.readAllBytes(only(cpp, ".log"));
        Files.write(damaged.resolve("000004.log"), java.util.Arrays.copyOf(log, log.length - 10));
        Path manifest = only(cpp, "MANIFEST-");
        byte[] manifestBytes = Files.readAllBytes(manifest);
        manifestBytes[60] ^= 0x01; // inside the second edit
        Files.write(damaged.resolve(manifest.getFileName().toString()), manifestBytes);
        Files.write(damaged.resolve("000009.ldb"), log); // a log under a table's name
        Path store = fixtures.resolve("damaged-store");
        copyStore(fixtures.resolve("our-store"), store);
        Path firstTable = only(store, ".ldb");
        Files.move(firstTable, store.resolve("000099.ldb")); // missing under its number, orphaned under another
    }

    private static Path only(Path directory, String part) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().contains(part)).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no " + part + " in " + directory));
        }
    }

    private static void copyStore(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.equals("LOCK") && !name.startsWith("LOG")) {
                    Files.copy(file, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
