package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;

/** {@code lsm verify <dir>} against the MANIFEST's record of each table, and leftovers as warnings. */
class VerifyStoreTest {
    @TempDir
    Path temp;

    @Test
    void swappedTablesOfDifferentSizesAreProblemsAndReadsSayWhichSizeWasExpected() throws IOException {
        Path store = storeWithTwoTables(50, 10);
        swap(store.resolve("000005.ldb"), store.resolve("000007.ldb"));
        CliRun verify = CliRun.run("", "verify", store.toString());
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.DAMAGE);
        assertThat(verify.stdout()).containsPattern("TABLE_SIZE: 000005.ldb is \\d+ bytes, MANIFEST-\\d+ says \\d+");
        CliRun get = CliRun.run("", "get", store.toString(), "a001");
        assertThat(get.exitCode()).isEqualTo(ExitCodes.DAMAGE);
        assertThat(get.stderr()).containsPattern("the file is \\d+ bytes, MANIFEST-\\d+ says \\d+").hasLineCount(1);
    }

    @Test
    void swappedTablesOfTheSameSizeAreCaughtByTheirKeyRanges() throws IOException {
        Path store = storeWithTwoTables(20, 20);
        Path first = store.resolve("000005.ldb");
        Path second = store.resolve("000007.ldb");
        assertThat(Files.size(first)).as("same size, so only the key range can tell").isEqualTo(Files.size(second));
        swap(first, second);
        CliRun verify = CliRun.run("", "verify", store.toString());
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.DAMAGE);
        assertThat(verify.stdout()).contains("TABLE_RANGE: 000005.ldb holds [b000 @ ", "MANIFEST-").doesNotContain(
                "TABLE_SIZE");
    }

    @Test
    void leftoversLevelDbDeletesOnOpenAreWarningsNotProblems() throws IOException {
        Path store = storeWithTwoTables(30, 5);
        byte[] table = Files.readAllBytes(store.resolve("000005.ldb"));
        Files.write(store.resolve("000099.ldb"), Arrays.copyOf(table, 100)); // an interrupted compaction's output
        Files.write(store.resolve("000100.dbtmp"), new byte[] {1, 2, 3});
        Files.write(store.resolve("000001.log"), new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9}); // an old, torn log
        Files.write(store.resolve("MANIFEST-000001"), new byte[] {1});
        CliRun verify = CliRun.run("", "verify", store.toString());
        assertThat(verify.exitCode()).as(verify.stdout()).isEqualTo(ExitCodes.OK);
        assertThat(verify.stdout()).contains("warning: file: ORPHAN_TABLE: 000099.ldb",
                "warning: file: ORPHAN_TEMP: 000100.dbtmp", "warning: file: ORPHAN_LOG: 000001.log",
                "warning: file: ORPHAN_MANIFEST: MANIFEST-000001", "0 problems, ");
        CliRun json = CliRun.run("", "verify", "--json", store.toString());
        assertThat(json.stdout()).contains("\"warnings\": [", "\"problemCount\": 0", "\"filesAtLevel2\""); // flushes land on level 2 here
    }

    @Test
    void aStoreInUseIsVerifiedAsItsManifestWasAndSaysSo() throws IOException {
        Path store = storeWithTwoTables(10, 10);
        try (Db db = Db.open(store, Options.defaults())) {
            db.put(bytes("while"), bytes("open"));
            CliRun verify = CliRun.run("", "verify", store.toString());
            assertThat(verify.exitCode()).as(verify.stdout()).isEqualTo(ExitCodes.OK);
            assertThat(verify.stdout()).contains("note: the store is in use (its LOCK is held): verified as MANIFEST-");
            db.put(bytes("still"), bytes("writable")); // the probe left the engine's lock alone
        }
    }

    @Test
    void aDirectoryThatIsNoStoreIsAUsageErrorSaidOnce() {
        CliRun verify = CliRun.run("", "verify", temp.toString());
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(verify.stderr()).isEqualTo("lsm: " + temp + ": no store here (no CURRENT file, no MANIFEST)\n");
        assertThat(verify.stdout()).isEmpty();
    }

    /** A store with two tables (flushed to level 2, the deepest level they do not overlap): {@code first} keys a000.. (000005.ldb), then {@code second} keys b000.. (000007.ldb). */
    private Path storeWithTwoTables(int first, int second) throws IOException {
        Path store = temp.resolve("db");
        try (Db db = Db.open(store, Options.defaults())) {
            for (int i = 0; i < first; i++) {
                db.put(bytes(String.format("a%03d", i)), bytes("value " + i % 10));
            }
            db.flush();
            for (int i = 0; i < second; i++) {
                db.put(bytes(String.format("b%03d", i)), bytes("value " + i % 10));
            }
            db.flush();
        }
        assertThat(store.resolve("000005.ldb")).exists();
        assertThat(store.resolve("000007.ldb")).exists();
        return store;
    }

    private static void swap(Path a, Path b) throws IOException {
        byte[] aBytes = Files.readAllBytes(a);
        Files.write(a, Files.readAllBytes(b));
        Files.write(b, aBytes);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
