package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-shot commands over a store: {@code get}, {@code put}, {@code delete}, {@code scan}, and their exit codes. */
class StoreCommandsTest {
    @TempDir
    Path temp;

    @Test
    void getPrintsTheValueOfAKeyWrittenByCppLevelDb() throws IOException {
        Path store = copy("cpp-store");
        assertThat(CliRun.run("", "get", store.toString(), "key005")).isEqualTo(
                new CliRun("value 5 of the C++ store, padded to compress well well well\n", "", 0));
        assertThat(CliRun.run("", "get", store.toString(), "0x0001feff")).isEqualTo(new CliRun("0xdeadbeef\n", "", 0));
    }

    @Test
    void getOfAnAbsentKeyExitsOne() throws IOException {
        Path store = copy("cpp-store");
        assertThat(CliRun.run("", "get", store.toString(), "key000"))
                .isEqualTo(new CliRun("", "lsm: key000: not found\n", 1));
    }

    @Test
    void getThatMeetsDamageExitsWithTheDamageCodeNotTheAbsentOne() throws IOException {
        Path store = copy("cpp-store");
        Path table = store.resolve("000005.ldb");
        byte[] bytes = Files.readAllBytes(table);
        bytes[bytes.length - 1] ^= 0x55; // the footer's magic
        Files.write(table, bytes);
        CliRun run = CliRun.run("", "get", store.toString(), "key005");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.DAMAGE).isEqualTo(3);
        assertThat(run.stderr()).startsWith("lsm: " + table + ": ");
        assertThat(CliRun.run("", "get", copy("iq80-store").toString(), "absent").exitCode()).isEqualTo(1);
    }

    @Test
    void putThenDeleteThenScanSeeEachOther() throws IOException {
        Path store = copy("iq80-store");
        assertThat(CliRun.run("", "put", store.toString(), "iq80-0105", "new value").exitCode()).isZero();
        assertThat(CliRun.run("", "delete", store.toString(), "iq80-011").exitCode()).isZero();
        CliRun scan = CliRun.run("", "scan", store.toString(), "iq80-010", "iq80-0106");
        assertThat(scan.stdout()).isEqualTo("iq80-010 = \"value 10 from iq80 0.12\"\n"
                + "iq80-0105 = \"new value\"\n" + "(2 entries)\n");
        assertThat(CliRun.run("", "scan", store.toString(), "--limit", "1").stdout())
                .isEqualTo("0x010203 = 0xcafe\n(1 entry; more past the limit of 1)\n");
    }

    @Test
    void readingCommandsDoNotCreateAStore() {
        Path missing = temp.resolve("nothing-here");
        CliRun run = CliRun.run("", "get", missing.toString(), "k");
        assertThat(run.stderr()).isEqualTo("lsm: " + missing + ": no store here (no CURRENT file)\n");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(missing).doesNotExist();
    }

    @Test
    void badHexArgumentIsAUsageError() throws IOException {
        Path store = copy("our-store");
        assertThat(CliRun.run("", "put", store.toString(), "0x123", "v"))
                .isEqualTo(new CliRun("", "lsm: bad hex '0x123': odd number of digits\n", 2));
    }

    private Path copy(String fixture) throws IOException {
        Path store = Files.createDirectories(temp.resolve(fixture));
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/fixtures", fixture))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, store.resolve(file.getFileName()));
            }
        }
        return store;
    }
}
