package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.ReadOptions;

/** {@code lsm load} and {@code lsm dump}: exact round trips of binary data, ranges, bad lines. */
class LoadDumpTest {
    @TempDir
    Path temp;

    @Test
    void dumpThenLoadIsExactForRandomBinaryKeysAndValuesInEveryEncoding() throws IOException {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("LoadDumpTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
        Random random = new Random(seed);
        TreeMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
        Path source = temp.resolve("source");
        try (Db db = Db.open(source, Options.defaults())) {
            for (int i = 0; i < 500; i++) {
                byte[] key = randomBytes(random, 1 + random.nextInt(12));
                byte[] value = randomBytes(random, random.nextInt(40));
                db.put(key, value);
                expected.put(key, value);
            }
        }
        for (RecordFormat encoding : new RecordFormat[] {RecordFormat.lsm, RecordFormat.hex, RecordFormat.base64}) {
            CliRun dump = CliRun.run("", "dump", "--encoding", encoding.name(), source.toString());
            assertThat(dump.exitCode()).as(dump.stderr()).isZero();
            assertThat(dump.stderr()).isEqualTo("(" + expected.size() + " entries)\n");
            Path copy = temp.resolve("copy-" + encoding);
            CliRun load = CliRun.run(dump.stdout(), "load", "--encoding", encoding.name(), copy.toString());
            assertThat(load.exitCode()).as(load.stderr()).isZero();
            assertThat(load.stdout()).startsWith("loaded " + expected.size() + " puts and 0 deletes from "
                    + expected.size() + " lines of (standard input) in ");
            assertThat(lines(contents(copy))).as("seed " + seed + ", " + encoding).isEqualTo(lines(expected));
        }
    }

    @Test
    void dumpKeepsToItsRangeAndPrefix() throws IOException {
        Path store = temp.resolve("db");
        CliRun load = CliRun.run("SET a 1\nSET ab 2\nSET abc 3\nSET b 4\nSET 0x00ff 0x01\nDEL b\n", "load",
                store.toString());
        assertThat(load.stdout()).isEqualTo("loaded 5 puts and 1 delete from 6 lines of (standard input) in 1 batch,"
                + " synced\n");
        assertThat(CliRun.run("", "dump", store.toString(), "--prefix", "ab").stdout()).isEqualTo("ab\t2\nabc\t3\n");
        assertThat(CliRun.run("", "dump", store.toString(), "--from", "ab", "--to", "abc").stdout())
                .isEqualTo("ab\t2\n");
        assertThat(CliRun.run("", "dump", store.toString()).stdout()).isEqualTo("0x00ff\t0x01\na\t1\nab\t2\nabc\t3\n");
    }

    @Test
    void aBadLineStopsTheLoadNamingItAndKeepsTheLinesBefore() throws IOException {
        Path store = temp.resolve("db");
        Path input = temp.resolve("input.tsv");
        Files.writeString(input, "k1\tv1\nk2\tv2\nk3\t0xZZ\nk4\tv4\n");
        CliRun load = CliRun.run("", "load", store.toString(), input.toString());
        assertThat(load.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(load.stderr()).isEqualTo("lsm: " + input + ": line 3: bad hex '0xZZ': 'ZZ' is not a hex byte"
                + " (2 lines before it loaded)\n");
        assertThat(contents(store)).hasSize(2);
    }

    /** Entries as hex lines: byte arrays compare by identity, these by content. */
    private static java.util.List<String> lines(Map<byte[], byte[]> entries) {
        return entries.entrySet().stream().map(e -> ByteText.hex(e.getKey(), 0, e.getKey().length) + "="
                + ByteText.hex(e.getValue(), 0, e.getValue().length)).toList();
    }

    private static Map<byte[], byte[]> contents(Path store) throws IOException {
        TreeMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
        try (Db db = Db.openReadOnly(store, Options.defaults()); DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                entries.put(it.key(), it.value());
            }
        }
        return entries;
    }

    /** Bytes biased towards the awkward ones: quotes, backslashes, tabs, newlines, 0x prefixes, high bytes. */
    private static byte[] randomBytes(Random random, int length) {
        byte[] awkward = "\"\\\t\n\r 0x'#".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(4);
            bytes[i] = pick == 0 ? awkward[random.nextInt(awkward.length)]
                    : pick == 1 ? (byte) random.nextInt(256) : (byte) ('a' + random.nextInt(26));
        }
        return bytes;
    }
}
