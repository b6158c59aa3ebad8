package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.wal.WriteBatchTest.b;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.Mutation;

/**
 * Golden tests against the WAL of the pure-Java LevelDB port: its log replays batch for batch
 * with the same sequences and entries, we write the same bytes for the same batches, and it
 * replays a log of ours in place of its own.
 */
class WalGoldenTest {
    private static final NioStorage STORAGE = NioStorage.onDefaultFileSystem();

    @TempDir
    Path directory;

    /** What the test does to the store, one batch per element (a single put is a batch of one). */
    private static List<List<Mutation>> workload() {
        Random random = new Random(5);
        List<List<Mutation>> batches = new ArrayList<>();
        batches.add(List.of(new Mutation(b("alpha"), b("1"))));
        batches.add(List.of(new Mutation(b("empty"), new byte[0])));
        batches.add(List.of(new Mutation(b("alpha"), null)));
        batches.add(List.of(new Mutation(b("k1"), b("v1")), new Mutation(b("k2"), b("v2")), new Mutation(b("k1"), null)));
        byte[] big = new byte[100_000];
        random.nextBytes(big);
        batches.add(List.of(new Mutation(b("big"), big)));
        batches.addAll(WalFixtures.randomBatches(random, 200, 300).stream().filter(ops -> !ops.isEmpty()).toList());
        return batches;
    }

    @Test
    void levelDbsLogReplaysBatchForBatch() throws IOException {
        Path log = writeWithLevelDb(directory.resolve("theirs"), workload());
        List<SequencedBatch> replayed = replay(log);
        List<List<Mutation>> expected = workload();
        assertThat(replayed).hasSameSizeAs(expected);
        long sequence = 1;
        for (int i = 0; i < expected.size(); i++) {
            assertThat(replayed.get(i).sequence()).as("batch %d", i).isEqualTo(sequence);
            assertThat(WalFixtures.ops(replayed.get(i).batch())).as("batch %d", i).containsExactlyElementsOf(expected.get(i));
            sequence += expected.get(i).size();
        }
    }

    @Test
    void weWriteLevelDbsBytesForTheSameBatches() throws IOException {
        byte[] theirs = Files.readAllBytes(writeWithLevelDb(directory.resolve("theirs"), workload()));
        assertThat(WalFixtures.write(workload()).bytes()).isEqualTo(theirs);
    }

    @Test
    void levelDbReplaysOurLogInPlaceOfItsOwn() throws IOException {
        Path store = directory.resolve("store");
        Path theirLog = writeWithLevelDb(store, List.of()); // an empty store: its log is empty
        Files.write(theirLog, WalFixtures.write(workload()).bytes());
        try (DB db = Iq80DBFactory.factory.open(store.toFile(), new Options().createIfMissing(false))) {
            java.util.Map<String, byte[]> model = new java.util.TreeMap<>();
            for (List<Mutation> ops : workload()) {
                for (Mutation op : ops) {
                    if (op.isPut()) {
                        model.put(java.util.HexFormat.of().formatHex(op.key()), op.value());
                    } else {
                        model.remove(java.util.HexFormat.of().formatHex(op.key()));
                    }
                }
            }
            assertThat(model).hasSizeGreaterThan(100);
            for (var entry : model.entrySet()) {
                assertThat(db.get(java.util.HexFormat.of().parseHex(entry.getKey()))).isEqualTo(entry.getValue());
            }
            assertThat(db.get(b("alpha"))).isNull();
            assertThat(db.get(b("empty"))).isEqualTo(new byte[0]);
        }
    }

    private List<SequencedBatch> replay(Path log) throws IOException {
        List<SequencedBatch> batches = new ArrayList<>();
        try (WalReader reader = WalReader.open(STORAGE, log, WalRecoveryMode.ABSOLUTE_CONSISTENCY)) {
            for (SequencedBatch batch = reader.next(); batch != null; batch = reader.next()) {
                batches.add(batch);
            }
        }
        return batches;
    }

    /** Applies the batches through iq80 LevelDB, closes it, and returns its one log file. */
    private static Path writeWithLevelDb(Path store, List<List<Mutation>> batches) throws IOException {
        Options options = new Options().createIfMissing(true).writeBufferSize(64 << 20);
        try (DB db = Iq80DBFactory.factory.open(store.toFile(), options)) {
            for (List<Mutation> ops : batches) {
                org.iq80.leveldb.WriteBatch batch = db.createWriteBatch();
                for (Mutation op : ops) {
                    if (op.isPut()) {
                        batch.put(op.key(), op.value());
                    } else {
                        batch.delete(op.key());
                    }
                }
                db.write(batch);
                batch.close();
            }
        }
        try (Stream<Path> files = Files.list(store)) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
            assertThat(logs).as("log files of the iq80 store").hasSize(1);
            return logs.get(0);
        }
    }
}
