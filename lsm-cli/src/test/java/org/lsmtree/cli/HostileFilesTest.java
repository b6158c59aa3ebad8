package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.log.LogWriter;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.sstable.TableBuilder;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.manifest.VersionEditCodec;
import org.lsmtree.wal.WriteBatch;
import org.lsmtree.wal.WriteBatchCodec;

/** Issue 11's CLI points: pipes and devices, huge records, sums past 2^63, megabyte names. */
class HostileFilesTest {
    private static final Duration NEVER_HANGS = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    @Test
    void aNamedPipeGivenAsAFileIsRefusedBeforeAnythingReadsIt() throws Exception {
        Path pipe = temp.resolve("000004.log");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
        for (String[] args : List.of(new String[] {"wal", "dump", pipe.toString()},
                new String[] {"verify", pipe.toString()})) {
            CliRun run = assertTimeoutPreemptively(NEVER_HANGS, () -> CliRun.run("", args));
            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stderr()).isEqualTo("lsm: " + pipe + ": is not a regular file (a named pipe, device or"
                    + " socket); lsm reads regular files only\n");
        }
    }

    @Test
    void aStoreWhoseCurrentLinksToADeviceIsRefusedByEveryCommand() throws Exception {
        Path store = Files.createDirectories(temp.resolve("db"));
        Files.createSymbolicLink(store.resolve("CURRENT"), Path.of("/dev/zero"));
        for (String command : List.of("stats", "verify", "get", "scan", "put", "shell")) {
            String[] args = command.equals("get") ? new String[] {command, store.toString(), "k"}
                    : command.equals("put") ? new String[] {command, store.toString(), "k", "v"}
                    : new String[] {command, store.toString()};
            CliRun run = assertTimeoutPreemptively(NEVER_HANGS, () -> CliRun.run("", args));
            assertThat(run.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stderr()).as(command).isEqualTo("lsm: " + store.resolve("CURRENT") + ": is not a regular"
                    + " file (a symbolic link to /dev/zero, a named pipe, device or socket); lsm reads regular files only\n");
        }
    }

    @Test
    void manifestDumpSumsFileSizesPastTwoToTheSixtyThree() throws IOException {
        Path manifest = manifest(temp.resolve("MANIFEST-000002"), "leveldb.BytewiseComparator",
                new FileMetadata(5, Long.MAX_VALUE, key("a"), key("b")),
                new FileMetadata(6, Long.MAX_VALUE, key("c"), key("d")));
        CliRun run = CliRun.run("", "manifest", "dump", manifest.toString());
        assertThat(run.stdout()).contains("total: 2 files, 18446744073709551614 bytes").doesNotContain("bytes: -");
        assertThat(CliRun.run("", "manifest", "dump", "--json", manifest.toString()).stdout())
                .contains("\"bytes\": 9223372036854775807").doesNotContain("\"bytes\": -");
    }

    @Test
    void aMegabyteComparatorNameIsCutInEveryLine() throws IOException {
        String name = "x".repeat(1 << 20);
        Path store = Files.createDirectories(temp.resolve("db"));
        manifest(store.resolve("MANIFEST-000002"), name, new FileMetadata(5, 100, key("a"), key("b")));
        Files.writeString(store.resolve("CURRENT"), "MANIFEST-000002\n");
        CliRun dump = CliRun.run("", "manifest", "dump", store.resolve("MANIFEST-000002").toString());
        assertThat(dump.stdout().lines()).allMatch(line -> line.length() < Failures.MAX_MESSAGE + 200);
        assertThat(dump.stdout()).contains("... (" + ((1 << 20) - EditText.MAX_NAME) + " more characters)");
        assertThat(CliRun.run("", "verify", store.toString()).stdout().lines())
                .allMatch(line -> line.length() < Failures.MAX_MESSAGE + 200);
        CliRun get = CliRun.run("", "get", store.toString(), "k");
        assertThat(get.exitCode()).isNotZero();
        assertThat(get.stderr().lines()).hasSize(1).allMatch(line -> line.length() < Failures.MAX_MESSAGE + 400);
    }

    @Test
    void aStoreOrderedByAnotherComparatorIsRefusedByTheEngineCommandsAndScannedInFileOrder() throws IOException {
        Path store = Files.createDirectories(temp.resolve("idb"));
        manifest(store.resolve("MANIFEST-000002"), "idb_cmp1", new FileMetadata(5, 100, key("a"), key("b")));
        Files.writeString(store.resolve("CURRENT"), "MANIFEST-000002\n");
        for (String command : List.of("get", "put")) {
            String[] args = command.equals("get") ? new String[] {command, store.toString(), "k"}
                    : new String[] {command, store.toString(), "k", "v"};
            CliRun run = CliRun.run("", args);
            assertThat(run.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stderr()).as(command).startsWith("lsm: " + store + ": its keys are ordered by the"
                    + " comparator 'idb_cmp1', not LevelDB's bytewise order").contains("lsm sst dump " + store);
        }
        try (WritableFile out = NioStorage.onDefaultFileSystem().create(store.resolve("000005.ldb"));
                TableBuilder table = new TableBuilder(out, TableOptions.defaults())) {
            table.add(key("a"), "1".getBytes(StandardCharsets.UTF_8)); // in file order, whatever idb_cmp1 says
            table.add(key("b"), "2".getBytes(StandardCharsets.UTF_8));
            table.finish();
        }
        CliRun scan = CliRun.run("", "scan", store.toString());
        assertThat(scan.exitCode()).as(scan.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(scan.stdout()).isEqualTo("a @ 1 : PUT => 1\nb @ 1 : PUT => 2\n");
        assertThat(scan.stderr()).startsWith("note: the comparator 'idb_cmp1' is not LevelDB's bytewise order:")
                .contains("key order checks were skipped").endsWith("(2 entries in file order)\n");
        CliRun dump = CliRun.run("", "manifest", "dump", store.resolve("MANIFEST-000002").toString());
        assertThat(dump.exitCode()).as(dump.stdout()).isEqualTo(ExitCodes.OK);
        assertThat(dump.stdout()).startsWith("note: the comparator 'idb_cmp1' is not LevelDB's bytewise order")
                .contains("level 1: 1 file, 100 bytes");
    }

    @Test
    void runningOutOfMemoryIsOneLineNamingTheFileNeverAStackTrace() throws Exception {
        Path wal = temp.resolve("000004.log");
        WriteBatch batch = new WriteBatch();
        batch.put(key("big"), new byte[24 << 20]);
        try (LogWriter log = new LogWriter(NioStorage.onDefaultFileSystem().create(wal))) {
            log.addRecord(WriteBatchCodec.INSTANCE.encode(new org.lsmtree.wal.SequencedBatch(1, batch)));
        }
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx16m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "wal", "dump", "--json", wal.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(java.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(stderr.lines()).hasSize(1);
        assertThat(stderr).startsWith("lsm: ").contains(wal.toString());
        assertThat(java.exitValue()).isIn(ExitCodes.USAGE, ExitCodes.DAMAGE);
    }

    private static byte[] key(String userKey) {
        return InternalKey.encode(userKey.getBytes(StandardCharsets.UTF_8), 1, ValueType.PUT);
    }

    private static Path manifest(Path file, String comparator, FileMetadata... files) throws IOException {
        VersionEdit edit = new VersionEdit().setComparatorName(comparator).setLogNumber(4).setNextFileNumber(10)
                .setLastSequence(5);
        int level = 1;
        for (FileMetadata table : files) {
            edit.addFile(level++, table);
        }
        try (LogWriter log = new LogWriter(NioStorage.onDefaultFileSystem().create(file))) {
            log.addRecord(VersionEditCodec.INSTANCE.encode(edit));
        }
        return file;
    }
}
