package org.lsmtree.format.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.log.LogFixtures.Outcome;
import org.lsmtree.format.log.LogFixtures.Placed;

/**
 * A crash only ever damages the unsynced end of a log, so damage with a checksummed fragment after
 * it is never a torn tail, even in the last block and even when it makes a length reach past the
 * end of the file (issue 11, point 2: 10 bytes overwritten in the middle of a one-block WAL of 377
 * records silently dropped the 174 records after them).
 */
class LogTailOrDamageTest {

    /** 377 records of 20 to 47 bytes in one short block, as in the 12,733-byte WAL. */
    private static LogFixtures.Log smallRecords() throws IOException {
        Random random = new Random(377);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 377; i++) {
            payloads.add(LogFixtures.randomBytes(random, 20 + random.nextInt(28)));
        }
        LogFixtures.Log log = LogFixtures.write(payloads);
        assertThat(log.bytes().length).isBetween(7690 + 1000, BLOCK_SIZE - 1);
        return log;
    }

    @Test
    void headerOverwrittenToReachPastTheEndWithRecordsAfterItIsABadLengthNotATornTail() throws IOException {
        LogFixtures.Log log = smallRecords();
        Placed hit = holding(log, 7690);
        byte[] bytes = log.bytes().clone();
        int header = (int) hit.firstHeader();
        // 10 bytes from the header on: a checksum no prefix matches, a length past the end of the
        // file but within the block, type FULL, then 3 payload bytes.
        byte[] overwrite = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x00, 0x40, 0x01, 9, 9, 9};
        System.arraycopy(overwrite, 0, bytes, header, overwrite.length);
        assertThat(header + HEADER_SIZE + 0x4000).isGreaterThan(bytes.length).isLessThan(BLOCK_SIZE);

        Outcome outcome = LogFixtures.readBothWays(bytes);

        assertThat(outcome.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(LogProblem.Kind.BAD_LENGTH);
            assertThat(p.kind().isTail()).isFalse();
            assertThat(p.offset()).isEqualTo(header);
            assertThat(p.bytesDropped()).isEqualTo(bytes.length - header);
            assertThat(p.message()).contains("checksummed fragment starts after it at " + hit.end());
        });
        assertThat(outcome.records()).hasSize(hit.index());
    }

    @Test
    void tenOverwrittenBytesBeforeTheLastRecordAreNeverATornTail() throws IOException {
        LogFixtures.Log log = smallRecords();
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("LogTailOrDamageTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
        Random random = new Random(seed);
        int lastHeader = (int) log.records().get(log.records().size() - 1).firstHeader();
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = log.bytes().clone();
            int at = random.nextInt(lastHeader - 10);
            byte[] overwrite = LogFixtures.randomBytes(random, 10);
            System.arraycopy(overwrite, 0, bytes, at, overwrite.length);
            int changed = firstDifference(log.bytes(), bytes);
            if (changed < 0) {
                continue;
            }

            Outcome outcome = LogFixtures.read(bytes);

            String context = "seed " + seed + " round " + round + ": 10 bytes at " + at + ": " + outcome.problems();
            assertThat(outcome.problems()).as(context).isNotEmpty()
                    .noneMatch(p -> p.kind().isTail() || p.nothingIntactAfter());
            Placed damaged = holding(log, changed);
            assertThat(outcome.records()).as(context).hasSize(damaged.index());
            for (int i = 0; i < damaged.index(); i++) {
                assertThat(outcome.records().get(i)).as(context).isEqualTo(log.records().get(i).payload());
            }
        }
    }

    @Test
    void cutInsideTheLastRecordIsStillATornTail() throws IOException {
        LogFixtures.Log log = smallRecords();
        Placed last = log.records().get(log.records().size() - 1);

        for (long cut = last.firstHeader() + 1; cut < last.end(); cut++) {
            Outcome outcome = LogFixtures.readBothWays(log.bytes(), (int) cut);

            assertThat(outcome.problems()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(LogProblem.Kind.TORN_TAIL);
                assertThat(p.offset()).isEqualTo(last.firstHeader());
            });
            assertThat(outcome.records()).hasSize(last.index());
        }
    }

    @Test
    void garbageFromInsideTheLastRecordToTheEndIsMarkedAsHavingNothingIntactAfterIt() throws IOException {
        LogFixtures.Log log = smallRecords();
        Placed last = log.records().get(log.records().size() - 1);
        Random random = new Random(11);

        for (long from = last.firstHeader(); from < last.end(); from++) {
            byte[] bytes = log.bytes().clone();
            for (int i = (int) from; i < bytes.length; i++) {
                bytes[i] ^= (byte) (1 + random.nextInt(255)); // what a crash's garbage tail looks like
            }

            Outcome outcome = LogFixtures.readBothWays(bytes);

            String context = "garbage from " + from + ": " + outcome.problems();
            assertThat(outcome.records()).as(context).hasSize(last.index());
            assertThat(outcome.problems()).as(context).isNotEmpty()
                    .allMatch(p -> p.kind().isTail() || p.nothingIntactAfter())
                    .allMatch(p -> p.offset() == last.firstHeader());
        }
    }

    @Test
    void zeroedMiddleBlockOfAFragmentedRecordNeverGluesItsOtherFragments() throws IOException {
        byte[] big = LogFixtures.randomBytes(new Random(3), 3 * BLOCK_SIZE);
        LogFixtures.Log log = LogFixtures.write(List.of(big, new byte[] {5}));
        byte[] bytes = log.bytes().clone();
        Arrays.fill(bytes, BLOCK_SIZE, 2 * BLOCK_SIZE, (byte) 0); // the first MIDDLE fragment

        Outcome outcome = LogFixtures.readBothWays(bytes);

        assertThat(outcome.records()).containsExactly(new byte[] {5});
        assertThat(outcome.problems()).extracting(LogProblem::kind).containsExactly(
                LogProblem.Kind.ZEROED_RANGE, LogProblem.Kind.FRAGMENT_OUT_OF_ORDER,
                LogProblem.Kind.FRAGMENT_OUT_OF_ORDER, LogProblem.Kind.FRAGMENT_OUT_OF_ORDER);
        assertThat(outcome.problems()).extracting(LogProblem::offset)
                .containsExactly((long) BLOCK_SIZE, 0L, 2L * BLOCK_SIZE, 3L * BLOCK_SIZE);
    }

    private static Placed holding(LogFixtures.Log log, long offset) {
        return log.records().stream().filter(p -> p.fragmentHolding(offset) >= 0).findFirst().orElseThrow();
    }

    private static int firstDifference(byte[] a, byte[] b) {
        return Arrays.mismatch(a, b);
    }
}
