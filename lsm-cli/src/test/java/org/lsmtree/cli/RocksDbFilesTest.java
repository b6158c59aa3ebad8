package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.log.LogWriter;
import org.lsmtree.format.storage.NioStorage;

/**
 * RocksDB's files, made in the test with RocksDB's magic numbers and tags: one line saying it is
 * RocksDB (exit 2) from every command, and nothing written into a store the tool does not know.
 */
class RocksDbFilesTest {
    @TempDir
    Path temp;

    @Test
    void aRocksDbTableIsNamedAsSuchNotAsDamage() throws IOException {
        Path table = rocksDbTable(temp.resolve("000010.sst"));
        for (String[] args : List.of(new String[] {"sst", "dump", table.toString()},
                new String[] {"verify", table.toString()})) {
            CliRun run = CliRun.run("", args);
            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stderr()).isEqualTo("lsm: " + table + ": is a RocksDB block-based table, not LevelDB"
                    + " (lsm reads LevelDB's formats only)\n");
        }
    }

    @Test
    void aRocksDbManifestIsNamedByItsTag() throws IOException {
        Path manifest = rocksDbManifest(temp.resolve("MANIFEST-000005"));
        for (String[] args : List.of(new String[] {"manifest", "dump", manifest.toString()},
                new String[] {"verify", manifest.toString()})) {
            CliRun run = CliRun.run("", args);
            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stderr()).isEqualTo("lsm: " + manifest + ": is a RocksDB MANIFEST (version edit tag 103"
                    + " (kNewFile4)), not LevelDB (lsm reads LevelDB's formats only)\n");
        }
    }

    @Test
    void everyStoreCommandRefusesARocksDbStoreAndWritesNothing() throws IOException {
        Path store = Files.createDirectories(temp.resolve("rocks"));
        rocksDbManifest(store.resolve("MANIFEST-000005"));
        Files.writeString(store.resolve("CURRENT"), "MANIFEST-000005\n");
        Files.writeString(store.resolve("IDENTITY"), "3f0c5a1e-rocks\n");
        Files.writeString(store.resolve("OPTIONS-000007"), "[Version]\n");
        List<String> before = names(store);
        for (String[] args : List.of(new String[] {"put", store.toString(), "k", "v"},
                new String[] {"get", store.toString(), "k"}, new String[] {"scan", store.toString()},
                new String[] {"stats", store.toString()}, new String[] {"verify", store.toString()},
                new String[] {"shell", store.toString()})) {
            CliRun run = CliRun.run("", args);
            assertThat(run.exitCode()).as(args[0]).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stderr()).as(args[0]).isEqualTo("lsm: " + store + ": is a RocksDB store (it has IDENTITY),"
                    + " not LevelDB; lsm reads and writes LevelDB stores only\n");
        }
        assertThat(names(store)).isEqualTo(before);
    }

    @Test
    void putDoesNotCreateAStoreAmongFilesItDoesNotKnow() throws IOException {
        Path directory = Files.createDirectories(temp.resolve("only-a-wal"));
        Files.write(directory.resolve("000003.log"), new byte[] {1, 2, 3});
        CliRun run = CliRun.run("", "put", directory.toString(), "k", "v");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).isEqualTo("lsm: " + directory + ": holds files but no store (no CURRENT file);"
                + " not creating a store among them\n");
        assertThat(names(directory)).containsExactly("000003.log");
    }

    @Test
    void aStoreWrittenByRocksDbItselfIsNamedAsSuchFileByFile() throws Exception {
        Path store = temp.resolve("real-rocks");
        org.rocksdb.RocksDB.loadLibrary();
        try (org.rocksdb.Options options = new org.rocksdb.Options().setCreateIfMissing(true);
                org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(options, store.toString());
                org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            for (int i = 0; i < 100; i++) {
                db.put(("key" + i).getBytes(StandardCharsets.UTF_8), ("value " + i).getBytes(StandardCharsets.UTF_8));
            }
            db.flush(flush);
        }
        CliRun stats = CliRun.run("", "stats", store.toString());
        assertThat(stats.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(stats.stderr()).contains("is a RocksDB store");
        List<String> checked = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(store)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String[] args = name.endsWith(".sst") ? new String[] {"sst", "dump", file.toString()}
                        : name.startsWith("MANIFEST-") ? new String[] {"manifest", "dump", file.toString()} : null;
                if (args != null) {
                    CliRun run = CliRun.run("", args);
                    assertThat(run.exitCode()).as(name + ": " + run.stderr()).isEqualTo(ExitCodes.USAGE);
                    assertThat(run.stderr()).as(name).startsWith("lsm: " + file + ": is a RocksDB ");
                    checked.add(name.startsWith("MANIFEST-") ? "MANIFEST" : "table");
                }
            }
        }
        assertThat(checked).contains("MANIFEST", "table");
    }

    private static Path rocksDbTable(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(192, 0x88e241b785f4cff7L);
        Files.write(file, bytes.array());
        return file;
    }

    /** A MANIFEST whose one edit names the comparator, then uses RocksDB's kNewFile4 (103). */
    private static Path rocksDbManifest(Path file) throws IOException {
        byte[] name = "leveldb.BytewiseComparator".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer edit = ByteBuffer.allocate(64);
        edit.put((byte) 1).put((byte) name.length).put(name).put((byte) 103).put((byte) 0x01).put((byte) 2);
        try (LogWriter log = new LogWriter(NioStorage.onDefaultFileSystem().create(file))) {
            log.addRecord(edit.array(), 0, edit.position());
        }
        return file;
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
