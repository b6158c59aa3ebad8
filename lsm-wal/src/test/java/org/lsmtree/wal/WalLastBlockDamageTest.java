package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.testing.Mutation;
import org.lsmtree.wal.WalFixtures.Replay;
import org.lsmtree.wal.WalFixtures.Wal;
import org.lsmtree.wal.WalFixtures.Written;

/**
 * Issue 11, point 2: 10 bytes overwritten in the middle of the last block of a one-block WAL of
 * 377 batches were taken for a torn tail, and under {@link WalRecoveryMode#TOLERATE_CORRUPTED_TAIL}
 * the 174 batches after them were silently dropped. Damage with whole records after it is
 * corruption in every block, the last one included.
 */
class WalLastBlockDamageTest {

    /** 377 one-put batches in one short block (about 12.7 KB, as in the issue). */
    private static Wal wal() throws IOException {
        Random random = new Random(11);
        List<List<Mutation>> batches = new ArrayList<>();
        for (int i = 0; i < 377; i++) {
            byte[] key = ("key" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] value = new byte[5 + random.nextInt(3)];
            random.nextBytes(value);
            batches.add(List.of(new Mutation(key, value)));
        }
        Wal wal = WalFixtures.write(batches);
        assertThat(wal.bytes().length).isBetween(12_000, 13_500);
        return wal;
    }

    @Test
    void lengthOverwrittenToReachPastTheEndBeforeWholeBatchesIsACorruptionNotATornTail() throws IOException {
        Wal wal = wal();
        Written hit = holding(wal, 7690);
        byte[] bytes = wal.bytes().clone();
        int header = (int) hit.firstHeader();
        byte[] overwrite = {0x11, 0x22, 0x33, 0x44, 0x00, 0x30, 0x01, 0x55, 0x66, 0x77}; // length 12288
        System.arraycopy(overwrite, 0, bytes, header, overwrite.length);
        assertThat(header + HEADER_SIZE + 0x3000).isGreaterThan(bytes.length).isLessThan(BLOCK_SIZE);

        Replay replay = WalFixtures.replay(bytes, bytes.length, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL);

        assertThat(replay.error()).isInstanceOfSatisfying(CorruptionException.class, e -> {
            assertThat(e.file()).isEqualTo("000007.log");
            assertThat(e.offset()).isEqualTo(header);
            assertThat(e.reason()).startsWith("BAD_LENGTH").contains("not cut off by a crash");
        });
        assertThat(replay.batches()).hasSize(hit.index());
        Replay sequential = WalFixtures.replaySequentially(bytes, bytes.length, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL);
        assertThat(sequential.error()).hasMessage(replay.error().getMessage());
    }

    @Test
    void tenRandomBytesOverwrittenBeforeTheLastBatchAreNeverToleratedAsATail() throws IOException {
        Wal wal = wal();
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("WalLastBlockDamageTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
        Random random = new Random(seed);
        int lastHeader = (int) wal.batches().get(wal.batches().size() - 1).firstHeader();
        for (int round = 0; round < 500; round++) {
            byte[] bytes = wal.bytes().clone();
            int at = random.nextInt(lastHeader - 10);
            byte[] overwrite = new byte[10];
            random.nextBytes(overwrite);
            System.arraycopy(overwrite, 0, bytes, at, overwrite.length);
            int changed = Arrays.mismatch(wal.bytes(), bytes);
            if (changed < 0) {
                continue;
            }

            Replay replay = WalFixtures.replay(bytes, bytes.length, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL);

            String context = "seed " + seed + " round " + round + ": 10 bytes at " + at + ": " + replay.problems();
            assertThat(replay.error()).as(context).isInstanceOf(CorruptionException.class);
            assertThat(replay.problems()).as(context).isEmpty();
            assertThat(replay.batches()).as(context).hasSizeLessThanOrEqualTo(holding(wal, changed).index());
        }
    }

    private static Written holding(Wal wal, long offset) {
        return wal.batches().stream().filter(w -> w.firstHeader() <= offset && offset < w.end())
                .findFirst().orElseThrow();
    }
}
