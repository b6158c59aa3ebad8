package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.wal.WriteBatchTest.b;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.NativeLevelDb;
import org.lsmtree.testing.Mutation;

/** Interop with C++ LevelDB 1.23: its WAL replays here, ours replays there, and the bytes agree. */
@Tag(NativeLevelDb.TAG)
class WalNativeInteropTest {
    private static final HexFormat HEX = HexFormat.of();
    private static NativeLevelDb driver;

    @TempDir
    Path directory;

    @BeforeAll
    static void compile() throws IOException {
        driver = NativeLevelDb.compile(WalNativeInteropTest.class, "wal_driver.c", Path.of("target", "native"));
    }

    private static List<List<Mutation>> workload() {
        Random random = new Random(17);
        List<List<Mutation>> batches = new ArrayList<>();
        batches.add(List.of(new Mutation(b("a"), b("1")), new Mutation(b("b"), new byte[0]), new Mutation(b("a"), null)));
        byte[] big = new byte[70_000];
        random.nextBytes(big);
        batches.add(List.of(new Mutation(b("big"), big)));
        batches.addAll(WalFixtures.randomBatches(random, 300, 200).stream().filter(ops -> !ops.isEmpty()).toList());
        return batches;
    }

    @Test
    void theirLogReplaysHereWithTheSameSequencesAndEntries() throws IOException {
        Path log = writeWithLevelDb(directory.resolve("theirs"));
        List<List<Mutation>> expected = workload();
        try (WalReader reader = WalReader.open(NioStorage.onDefaultFileSystem(), log,
                WalRecoveryMode.ABSOLUTE_CONSISTENCY)) {
            long sequence = 1;
            for (List<Mutation> ops : expected) {
                SequencedBatch batch = reader.next();
                assertThat(batch).isNotNull();
                assertThat(batch.sequence()).isEqualTo(sequence);
                assertThat(WalFixtures.ops(batch.batch())).containsExactlyElementsOf(ops);
                sequence += ops.size();
            }
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void ourBytesEqualTheirsForTheSameBatches() throws IOException {
        byte[] theirs = Files.readAllBytes(writeWithLevelDb(directory.resolve("theirs")));
        assertThat(WalFixtures.write(workload()).bytes()).isEqualTo(theirs);
    }

    @Test
    void ourLogReplaysInLevelDbInPlaceOfItsOwn() throws IOException {
        Path store = directory.resolve("store");
        Path log = writeWithLevelDb(store, List.of());
        Files.write(log, WalFixtures.write(workload()).bytes());
        Map<String, String> model = new TreeMap<>();
        for (List<Mutation> ops : workload()) {
            for (Mutation op : ops) {
                if (op.isPut()) {
                    model.put(hex(op.key()), hex(op.value()));
                } else {
                    model.remove(hex(op.key()));
                }
            }
        }
        List<String> expected = model.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
        assertThat(driver.runOrFail("dump", store.toString()).lines().toList()).containsExactlyElementsOf(expected);
    }

    /**
     * A log our mapped writer left unclosed (a killed process: zeros to a whole 1 MiB chunk after
     * the last record) replays in LevelDB, which skips the zeros as its own mmap writer's
     * preallocation, and reads every batch.
     */
    @Test
    void ourAbandonedMappedLogWithItsZeroTailReplaysInLevelDb() throws IOException {
        Path store = directory.resolve("store");
        Path log = writeWithLevelDb(store, List.of());
        WalWriter writer = WalWriter.create(NioStorage.onDefaultFileSystem(), log);
        long sequence = 1;
        Map<String, String> model = new TreeMap<>();
        for (List<Mutation> ops : workload()) {
            writer.append(sequence, WalFixtures.batchOf(ops));
            sequence += ops.size();
            for (Mutation op : ops) {
                if (op.isPut()) {
                    model.put(hex(op.key()), hex(op.value()));
                } else {
                    model.remove(hex(op.key()));
                }
            }
        }
        // no close: LevelDB reads the file as a killed process would leave it
        assertThat(Files.size(log) % LogFormat.PREALLOCATION_CHUNK).isZero();
        assertThat(Files.size(log)).isGreaterThan(writer.position());
        try {
            List<String> expected = model.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
            assertThat(driver.runOrFail("dump", store.toString()).lines().toList()).containsExactlyElementsOf(expected);
        } finally {
            writer.close();
        }
    }

    private Path writeWithLevelDb(Path store) throws IOException {
        return writeWithLevelDb(store, workload());
    }

    private Path writeWithLevelDb(Path store, List<List<Mutation>> batches) throws IOException {
        StringBuilder input = new StringBuilder();
        for (List<Mutation> ops : batches) {
            for (Mutation op : ops) {
                input.append(op.isPut() ? "P " + hex(op.key()) + " " + hex(op.value()) : "D " + hex(op.key())).append('\n');
            }
            input.append("C\n");
        }
        NativeLevelDb.Result result = driver.run(input.toString().getBytes(StandardCharsets.US_ASCII), "write",
                store.toString());
        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        try (Stream<Path> files = Files.list(store)) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
            assertThat(logs).as("log files of the C++ store").hasSize(1);
            return logs.get(0);
        }
    }

    private static String hex(byte[] bytes) {
        return bytes.length == 0 ? "." : HEX.formatHex(bytes);
    }
}
