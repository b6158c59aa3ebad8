package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lsmtree.testing.CrashMode;
import org.lsmtree.testing.CrashSimulatingStorage;
import org.lsmtree.testing.SimulatedCrashException;
import org.lsmtree.testing.Mutation;

/**
 * Crashes a writer after every storage operation of a workload and replays what survives: every
 * batch whose sync returned is there, the rest is a prefix of what followed, and no batch is ever
 * partial or wrong.
 */
class WalCrashTest {

    private static List<List<Mutation>> workload() {
        Random random = new Random(23);
        List<List<Mutation>> batches = new ArrayList<>(WalFixtures.randomBatches(random, 30, 2000));
        batches.add(5, List.of(new Mutation(new byte[] {7}, new byte[50_000])));
        return batches;
    }

    @Test
    void everySyncedBatchSurvivesACrashAfterAnyOperation() throws IOException {
        long operations = run(Long.MAX_VALUE).storage().operationCount();
        int states = 0;
        for (long k = 0; k <= operations; k++) {
            for (CrashMode mode : CrashMode.values()) {
                for (long seed = 0; seed < (mode == CrashMode.TORN ? 4 : 1); seed++) {
                    Run run = run(k);
                    CrashSimulatingStorage after = run.storage().afterCrash(mode, seed);
                    check(after, run.acknowledged(), "crash after operation " + k + ", " + mode + ", seed " + seed);
                    states++;
                }
            }
        }
        assertThat(states).isEqualTo((int) (operations + 1) * (CrashMode.values().length + 3));
    }

    private static void check(CrashSimulatingStorage after, int acknowledged, String context) throws IOException {
        Path file = after.path("/db/000003.log");
        if (!after.exists(file)) {
            assertThat(acknowledged).as(context).isZero();
            return;
        }
        List<List<Mutation>> expected = workload();
        List<SequencedBatch> replayed = new ArrayList<>();
        try (WalReader reader = WalReader.open(after, file, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL)) {
            for (SequencedBatch batch = reader.next(); batch != null; batch = reader.next()) {
                replayed.add(batch);
            }
        }
        assertThat(replayed.size()).as(context).isGreaterThanOrEqualTo(acknowledged).isLessThanOrEqualTo(expected.size());
        long sequence = 1;
        for (int i = 0; i < replayed.size(); i++) {
            assertThat(replayed.get(i).sequence()).as(context).isEqualTo(sequence);
            assertThat(WalFixtures.ops(replayed.get(i).batch())).as(context).containsExactlyElementsOf(expected.get(i));
            sequence += expected.get(i).size();
        }
    }

    /** What one run left: its storage and how many batches had their sync return. */
    private record Run(CrashSimulatingStorage storage, int acknowledged) {}

    private static Run run(long crashAfter) throws IOException {
        CrashSimulatingStorage storage = CrashSimulatingStorage.create();
        storage.crashAfter(crashAfter);
        int acknowledged = 0;
        try {
            Path dir = storage.path("/db");
            storage.createDirectories(dir);
            try (WalWriter writer = WalWriter.create(storage, dir.resolve("000003.log"))) {
                storage.syncDirectory(dir);
                long sequence = 1;
                for (List<Mutation> ops : workload()) {
                    writer.append(sequence, WalFixtures.batchOf(ops));
                    writer.sync();
                    acknowledged++;
                    sequence += ops.size();
                }
            }
        } catch (SimulatedCrashException expected) {
            // the machine went down here
        }
        return new Run(storage, acknowledged);
    }
}
