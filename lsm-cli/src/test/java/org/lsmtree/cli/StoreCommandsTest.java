package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
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
                + "iq80-0105 = \"new value\"\n");
        assertThat(scan.stderr()).isEqualTo("(2 entries)\n");
        CliRun limited = CliRun.run("", "scan", store.toString(), "--limit", "1");
        assertThat(limited.stdout()).isEqualTo("0x010203 = 0xcafe\n");
        assertThat(limited.stderr()).isEqualTo("(1 entry; more past the limit of 1)\n");
    }

    @Test
    void scanLimitZeroMeansNoLimitAndTheCountGoesToStandardError() throws IOException {
        Path store = copy("cpp-store");
        CliRun all = CliRun.run("", "scan", store.toString(), "--limit", "0");
        assertThat(all.stdout().lines()).hasSizeGreaterThan(50);
        assertThat(all.stdout()).doesNotContain("entries)");
        assertThat(all.stderr()).matches("\\(\\d+ entries\\)\n");
    }

    @Test
    void aKeyReadsTheSameInOneShotCommandsAsInTheShell() throws IOException {
        Path store = copy("our-store");
        assertThat(CliRun.run("", "put", store.toString(), "\"0x41\"", "'text 0x'").exitCode()).isZero();
        assertThat(CliRun.run("", "put", store.toString(), "\"k\\x01\"", "0x0102").exitCode()).isZero();
        CliRun shell = CliRun.run("GET \"0x41\"\nGET \"k\\x01\"\nGET 0x41\n", "shell", store.toString());
        assertThat(shell.stdout()).isEqualTo("\"text 0x\"\n0x0102\n(nil)\n");
        assertThat(CliRun.run("", "get", store.toString(), "\"0x41\"").stdout()).isEqualTo("text 0x\n");
        assertThat(CliRun.run("", "get", store.toString(), "0x41").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void anEmptyPathIsAUsageErrorThatSaysSo() {
        CliRun run = CliRun.run("", "get", "", "k");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).startsWith("lsm: ").contains("an empty path").doesNotContain("lsm: : ");
    }

    @Test
    void aBinaryValueFromAFileComesBackByteForByteWithGetRaw() throws IOException {
        Path store = copy("our-store");
        byte[] value = new byte[3 << 20];
        new java.util.Random(7).nextBytes(value);
        Path file = Files.write(temp.resolve("value.bin"), value);
        assertThat(CliRun.run("", "put", store.toString(), "blob", "--value-file", file.toString()).exitCode()).isZero();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int exit = Main.run(new String[] {"get", "--raw", store.toString(), "blob"}, InputStream.nullInputStream(),
                new PrintStream(out, true), new PrintStream(new java.io.ByteArrayOutputStream()), false);
        assertThat(exit).isZero();
        assertThat(out.toByteArray()).isEqualTo(value);
        java.io.ByteArrayOutputStream scan = new java.io.ByteArrayOutputStream();
        Main.run(new String[] {"scan", "--raw", "--keys-only", store.toString(), "0x00", "0x01"},
                InputStream.nullInputStream(), new PrintStream(scan, true),
                new PrintStream(new java.io.ByteArrayOutputStream()), false);
        assertThat(scan.toByteArray()).isEqualTo(new byte[] {0, (byte) 0xff, '\n'});
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
