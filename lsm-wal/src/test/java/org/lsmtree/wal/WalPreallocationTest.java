package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.format.log.LogFormat.PREALLOCATION_CHUNK;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.Mutation;

/**
 * A WAL appended through a mapping ({@link WalWriter#create} on the real file system) and left
 * unclosed, as a killed process leaves it: its zero tail is the clean end in every recovery mode
 * and for the verifier; the batch being copied when the writer died is a torn tail.
 */
class WalPreallocationTest {

    @TempDir Path tempDir;

    private final NioStorage storage = NioStorage.onDefaultFileSystem();

    @Test
    void anAbandonedMappedWalReplaysEveryBatchEvenUnderAbsoluteConsistency() throws IOException {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("WalPreallocationTest seed " + seed + " (replay: -Dlsm.seed=" + seed + ")");
        List<List<Mutation>> batches = WalFixtures.randomBatches(new Random(seed), 1200, 1000);
        Path path = tempDir.resolve("000005.log");
        WalWriter writer = WalWriter.create(storage, path);
        long sequence = 1;
        for (List<Mutation> ops : batches) {
            writer.append(sequence, WalFixtures.batchOf(ops));
            sequence += ops.size();
        }
        // no close: the file as a killed process leaves it
        long size = Files.size(path);
        assertThat(size % PREALLOCATION_CHUNK).as("seed " + seed).isZero();
        assertThat(size).as("seed " + seed).isGreaterThan(writer.position());
        for (WalRecoveryMode mode : WalRecoveryMode.values()) {
            try (WalReader reader = WalReader.open(storage, path, mode)) {
                WalFixtures.Replay replay = WalFixtures.replay(reader);
                assertThat(replay.error()).as("seed " + seed + ", " + mode).isNull();
                assertThat(replay.problems()).as("seed " + seed + ", " + mode).isEmpty();
                assertThat(replay.batches()).as("seed " + seed + ", " + mode).hasSameSizeAs(batches);
                assertThat(reader.summary().unusedPreallocation()).isEqualTo(size - writer.position());
                assertThat(reader.summary().bytesDropped()).isZero();
            }
        }
        VerificationReport report = new WalVerifier().verify(storage, path);
        assertThat(report.isClean()).as(report.toString()).isTrue();
        assertThat(report.count("unused preallocated bytes")).isEqualTo(size - writer.position());
        assertThat(report.count("batches")).isEqualTo(batches.size());
        writer.close();
        assertThat(Files.size(path)).isEqualTo(writer.position());
        assertThat(new WalVerifier().verify(storage, path).counts()).doesNotContainKey("unused preallocated bytes");
    }

    @Test
    void theBatchBeingCopiedWhenTheWriterDiedIsATornTail() throws IOException {
        List<List<Mutation>> batches = WalFixtures.randomBatches(new Random(3), 60, 3000);
        WalFixtures.Wal wal = WalFixtures.write(batches);
        WalFixtures.Written last = wal.batches().get(wal.batches().size() - 1);
        long cut = (last.firstHeader() + last.end()) / 2;
        byte[] image = Arrays.copyOf(Arrays.copyOf(wal.bytes(), (int) cut), PREALLOCATION_CHUNK);
        WalFixtures.Replay tolerated = WalFixtures.replay(image, image.length, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL);
        assertThat(tolerated.error()).isNull();
        assertThat(tolerated.batches()).hasSize(batches.size() - 1);
        assertThat(tolerated.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(WalProblem.Kind.TORN_TAIL);
            assertThat(p.offset()).isEqualTo(last.firstHeader());
        });
        WalFixtures.Replay strict = WalFixtures.replay(image, image.length, WalRecoveryMode.ABSOLUTE_CONSISTENCY);
        assertThat(strict.error()).hasMessageContaining("TORN_TAIL").hasMessageContaining(Long.toString(last.firstHeader()));
    }
}
