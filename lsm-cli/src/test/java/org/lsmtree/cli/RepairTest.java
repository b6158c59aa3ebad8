package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.WriteOptions;

/** {@code lsm repair}: the MANIFEST rebuilt from the tables and WALs, what checksums allow kept. */
class RepairTest {
    @TempDir
    Path temp;

    @Test
    void aStoreWithoutItsManifestComesBackWithEveryEntryTablesAndWalAlike() throws IOException {
        Path store = store(200);
        try (Stream<Path> files = Files.list(store)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("MANIFEST-")
                    || f.getFileName().toString().equals("CURRENT")).toList()) {
                Files.delete(file);
            }
        }
        CliRun repair = CliRun.run("", "repair", store.toString());
        assertThat(repair.exitCode()).as(repair.stdout() + repair.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(repair.stdout()).contains("CURRENT names it", "-- repaired: ", "0 losses");
        try (Db db = Db.open(store, Options.defaults().withCreateIfMissing(false))) {
            for (int i = 0; i < 200; i++) {
                assertThat(db.get(bytes(key(i)))).as(key(i)).isEqualTo(bytes("value " + i));
            }
            assertThat(db.get(bytes("deleted"))).isNull();
            assertThat(db.get(bytes("only-in-wal"))).isEqualTo(bytes("yes"));
        }
        assertThat(CliRun.run("", "verify", store.toString()).exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void damagedBlocksAndWalRecordsAreDroppedAndReportedTheRestKept() throws IOException {
        Path store = store(2000);
        Path table = Files.list(store).filter(f -> f.toString().endsWith(".ldb")).sorted().findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(table);
        bytes[100] ^= 0x40; // inside the first data block
        Files.write(table, bytes);
        CliRun repair = CliRun.run("", "repair", store.toString());
        assertThat(repair.exitCode()).as(repair.stdout()).isEqualTo(ExitCodes.DAMAGE);
        assertThat(repair.stdout()).contains("LOST " + table.getFileName() + ": 1 damaged block and 0 entries out of"
                + " order dropped; its ");
        assertThat(store.resolve("lost").resolve(table.getFileName())).exists();
        long kept = 0;
        try (Db db = Db.open(store, Options.defaults().withCreateIfMissing(false))) {
            for (int i = 0; i < 2000; i++) {
                byte[] value = db.get(bytes(key(i)));
                if (value != null) {
                    assertThat(value).isEqualTo(bytes("value " + i));
                    kept++;
                }
            }
            assertThat(db.get(bytes("only-in-wal"))).isEqualTo(bytes("yes"));
        }
        assertThat(kept).as("one 4 KiB block of about 190 entries lost, no more").isBetween(1700L, 1999L);
    }

    @Test
    void aStoreInUseIsNotRepaired() throws IOException {
        Path store = store(10);
        try (Db db = Db.open(store, Options.defaults())) {
            CliRun repair = CliRun.run("", "repair", store.toString());
            assertThat(repair.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(repair.stderr()).startsWith("lsm: ").hasLineCount(1);
            assertThat(store.resolve("lost")).doesNotExist();
        }
    }

    /** A store with {@code n} keys in tables, one deleted key, and one key only in the WAL. */
    private Path store(int n) throws IOException {
        Path store = temp.resolve("db");
        try (Db db = Db.open(store, Options.defaults())) {
            db.put(bytes("deleted"), bytes("soon"));
            for (int i = 0; i < n; i++) {
                db.put(bytes(key(i)), bytes("value " + i), WriteOptions.noSync());
            }
            db.delete(bytes("deleted"));
            db.flush();
            db.put(bytes("only-in-wal"), bytes("yes"));
        }
        return store;
    }

    private static String key(int i) {
        return String.format("key%05d", i);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
