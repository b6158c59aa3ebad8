package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.Mutation;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

class WalRoundTripTest {

    @Test
    void batchesComeBackThroughStorageWithTheirSummary() {
        SeededCases.checkShrinking(40, WalRoundTripTest::batches, (batches, random) -> comeBack(batches));
    }

    /** Up to 50 batches of small operations, and half the time a batch over many blocks. */
    private static List<List<Mutation>> batches(SeededRandom random) {
        List<List<Mutation>> batches = new ArrayList<>();
        for (int n = random.nextInt(50); n > 0; n--) {
            batches.add(random.mutations(5, 100, 1000));
        }
        if (random.nextBoolean()) { // a 1 MiB key and value: a batch over many 32 KiB blocks
            batches.add(random.nextInt(batches.size() + 1),
                    List.of(new Mutation(random.hugeBytes(), random.hugeBytes()), new Mutation(new byte[0], null)));
        }
        return batches;
    }

    private static void comeBack(List<List<Mutation>> batches) throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            NioStorage storage = NioStorage.of(fs);
            Path file = fs.getPath("/000004.log");
            long sequence = 100;
            try (WalWriter writer = WalWriter.create(storage, file)) {
                for (List<Mutation> ops : batches) {
                    writer.append(sequence, WalFixtures.batchOf(ops));
                    sequence += ops.size();
                }
                writer.sync();
            }
            long entries = 0;
            long puts = 0;
            try (WalReader reader = WalReader.open(storage, file, WalRecoveryMode.ABSOLUTE_CONSISTENCY)) {
                long expected = 100;
                for (List<Mutation> ops : batches) {
                    SequencedBatch batch = reader.next();
                    assertThat(batch.sequence()).isEqualTo(expected);
                    assertThat(WalFixtures.ops(batch.batch())).containsExactlyElementsOf(ops);
                    expected += ops.size();
                    entries += ops.size();
                    puts += ops.stream().filter(Mutation::isPut).count();
                }
                assertThat(reader.next()).isNull();
                WalSummary summary = reader.summary();
                assertThat(summary.batches()).isEqualTo(batches.size());
                assertThat(summary.records()).isEqualTo(batches.size());
                assertThat(summary.entries()).isEqualTo(entries);
                assertThat(summary.puts()).isEqualTo(puts);
                assertThat(summary.deletes()).isEqualTo(entries - puts);
                assertThat(summary.firstSequence()).isEqualTo(batches.isEmpty() ? -1 : 100);
                assertThat(summary.lastSequence()).isEqualTo(batches.isEmpty() ? -1 : expected - 1);
                assertThat(summary.bytes()).isEqualTo(storage.size(file));
                assertThat(summary.bytesDropped()).isZero();
            }
        }
    }

    @Test
    void writerContinuesAnExistingLog() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            NioStorage storage = NioStorage.of(fs);
            Path file = fs.getPath("/000004.log");
            try (WalWriter writer = WalWriter.create(storage, file)) {
                writer.append(1, new WriteBatch().put(new byte[40_000], new byte[] {1}));
            }
            try (WalWriter writer = new WalWriter(storage.openAppendable(file), storage.size(file))) {
                writer.append(2, new WriteBatch().delete(new byte[] {2}));
            }
            try (WalReader reader = WalReader.open(storage, file, WalRecoveryMode.ABSOLUTE_CONSISTENCY)) {
                assertThat(reader.next().sequence()).isEqualTo(1);
                assertThat(reader.next().sequence()).isEqualTo(2);
                assertThat(reader.next()).isNull();
            }
        }
    }

    @Test
    void groupCommitWritesManyWritersBatchesAsOneRecord() throws IOException {
        WriteBatch merged = new WriteBatch();
        for (int writer = 0; writer < 5; writer++) {
            merged.append(new WriteBatch().put(new byte[] {(byte) writer}, new byte[] {1}).delete(new byte[] {9}));
        }
        WalFixtures.Wal wal = WalFixtures.write(List.of(WalFixtures.ops(merged)));
        WalFixtures.Replay replay = WalFixtures.replay(wal.bytes(), wal.bytes().length, WalRecoveryMode.ABSOLUTE_CONSISTENCY);
        assertThat(replay.batches()).singleElement().satisfies(batch -> {
            assertThat(batch.batch().count()).isEqualTo(10);
            assertThat(batch.lastSequence()).isEqualTo(10);
        });
    }

    /** The worked example of docs/format/wal.md, byte for byte. */
    @Test
    void documentedExampleBytes() throws IOException {
        org.lsmtree.format.storage.ByteArrayWritableFile file = new org.lsmtree.format.storage.ByteArrayWritableFile();
        try (WalWriter writer = new WalWriter(file)) {
            writer.append(5, new WriteBatch().put(WriteBatchTest.b("k1"), WriteBatchTest.b("v")).delete(WriteBatchTest.b("k2")));
            assertThat(writer.append(7, new WriteBatch().put(WriteBatchTest.b("a"), new byte[0]))).isEqualTo(52);
        }
        assertThat(java.util.HexFormat.of().formatHex(file.toByteArray())).isEqualTo(
                "175e7cb5" + "1600" + "01" + "0500000000000000" + "02000000" + "01026b310176" + "00026b32"
                + "bed00039" + "1000" + "01" + "0700000000000000" + "01000000" + "01016100");
    }
}
