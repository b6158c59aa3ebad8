package org.lsmtree.format.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.log.LogFixtures.Outcome;
import org.lsmtree.format.log.LogFixtures.Placed;

/**
 * Damages one multi-block log in every way a byte can be damaged (cut at every offset, every bit
 * flipped, zeros from every record on) and checks that the reader reports each damage where it
 * is and never returns a wrong record.
 */
class LogDamageTest {
    private static LogFixtures.Log log;
    private static List<byte[]> payloads;

    /**
     * Block 0: small records, then one that leaves a 3-byte zero trailer. Block 1 onward: a record
     * of FIRST, MIDDLE and LAST fragments, then small records ending the file inside block 3.
     */
    @BeforeAll
    static void writeLog() throws IOException {
        Random random = new Random(42);
        List<byte[]> payloads = new ArrayList<>();
        int used = 0;
        for (int size : new int[] {0, 5, 200, 1000, 3000, 50}) {
            payloads.add(LogFixtures.randomBytes(random, size));
            used += HEADER_SIZE + size;
        }
        payloads.add(LogFixtures.randomBytes(random, BLOCK_SIZE - used - HEADER_SIZE - 3));
        payloads.add(LogFixtures.randomBytes(random, 2 * (BLOCK_SIZE - HEADER_SIZE) + 1500));
        for (int size : new int[] {7, 10, 2000, 0, 300}) {
            payloads.add(LogFixtures.randomBytes(random, size));
        }
        log = LogFixtures.write(payloads);
        LogDamageTest.payloads = List.copyOf(payloads);
        assertThat(log.bytes().length).isBetween(3 * BLOCK_SIZE, 4 * BLOCK_SIZE);
        assertThat(log.records().get(7).fragmentHeaders()).hasSize(3); // FIRST, MIDDLE, LAST
        assertThat(LogFixtures.read(log.bytes()).problems()).isEmpty();
    }

    @Test
    void truncationAtEveryOffsetKeepsWholeRecordsAndReportsATornTail() throws IOException {
        byte[] bytes = log.bytes();
        for (int cut = 0; cut <= bytes.length; cut++) {
            // The sequential read differs only for fragmented records: compare it there, and on a sample.
            Placed spanning = log.records().get(7);
            boolean bothWays = cut % 16 == 0 || (cut > spanning.firstHeader() && cut <= spanning.end());
            Outcome outcome = bothWays ? LogFixtures.readBothWays(bytes, cut) : LogFixtures.read(bytes, cut);
            List<byte[]> whole = new ArrayList<>();
            Placed torn = null;
            for (Placed placed : log.records()) {
                if (placed.end() <= cut) {
                    whole.add(placed.payload());
                } else if (torn == null && placed.firstHeader() < cut) {
                    torn = placed;
                }
            }
            String context = "cut at " + cut + ": " + outcome.problems();
            assertThat(outcome.records()).as(context).containsExactlyElementsOf(whole);
            if (torn == null) {
                assertThat(outcome.problems()).as(context).isEmpty();
            } else {
                assertThat(outcome.problems()).as(context).hasSize(1);
                LogProblem problem = outcome.problems().get(0);
                assertThat(problem.kind().isTail()).as(context).isTrue();
                assertThat(problem.offset()).as(context).isEqualTo(torn.firstHeader());
                assertThat(problem.bytesDropped()).as(context).isEqualTo(cut - torn.firstHeader());
            }
        }
    }

    @Test
    void everyFlippedBitIsReportedWhereItIsAndNoWrongRecordIsReturned() {
        // 8 cases per byte, each reading the whole log: spread over the cores, one copy per thread.
        ThreadLocal<byte[]> copies = ThreadLocal.withInitial(() -> log.bytes().clone());
        java.util.concurrent.atomic.AtomicLong cases = new java.util.concurrent.atomic.AtomicLong();
        java.util.stream.IntStream.range(0, log.bytes().length).parallel().forEach(offset -> {
            byte[] bytes = copies.get();
            for (int bit = 0; bit < 8; bit++) {
                bytes[offset] ^= (byte) (1 << bit);
                try {
                    checkFlip(bytes, offset, LogFixtures.read(bytes));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    bytes[offset] ^= (byte) (1 << bit);
                }
                cases.incrementAndGet();
            }
        });
        assertThat(cases.get()).isEqualTo(8L * log.bytes().length);
    }

    /**
     * Checks one flip. Runs 8 times per byte of the log, so it compares by hand and builds
     * AssertJ's descriptive failure only when something is wrong.
     */
    private static void checkFlip(byte[] bytes, int offset, Outcome outcome) {
        Placed damaged = null;
        for (Placed placed : log.records()) {
            if (placed.fragmentHolding(offset) >= 0) {
                damaged = placed;
            }
        }
        List<byte[]> expected;
        boolean reportedWhereItIs;
        if (damaged == null) { // a block trailer: nothing lost, but reported
            expected = payloads();
            reportedWhereItIs = outcome.problems().size() == 1
                    && outcome.problems().get(0).kind() == LogProblem.Kind.NONZERO_BLOCK_TRAILER
                    && outcome.problems().get(0).offset() == offset / BLOCK_SIZE * BLOCK_SIZE + BLOCK_SIZE - 3;
        } else {
            long fragment = damaged.fragmentHolding(offset);
            long nextBlock = (fragment / BLOCK_SIZE + 1) * BLOCK_SIZE;
            expected = new ArrayList<>();
            for (Placed placed : log.records()) {
                if (placed != damaged && (placed.end() <= fragment || placed.firstHeader() >= nextBlock)) {
                    expected.add(placed.payload());
                }
            }
            LogProblem first = outcome.problems().isEmpty() ? null : outcome.problems().get(0);
            // Damage is never taken for a crash's torn tail: it is reported at its own fragment.
            reportedWhereItIs = first != null && first.offset() == fragment && !first.kind().isTail();
        }
        if (!reportedWhereItIs || !sameRecords(outcome.records(), expected)) {
            String context = "bit flipped at " + offset + " (record " + (damaged == null ? "none" : damaged.index())
                    + "): " + outcome.problems();
            assertThat(outcome.records()).as(context).containsExactlyElementsOf(expected);
            assertThat(reportedWhereItIs).as(context).isTrue();
        }
    }

    private static boolean sameRecords(List<byte[]> actual, List<byte[]> expected) {
        if (actual.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < actual.size(); i++) {
            if (!Arrays.equals(actual.get(i), expected.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void zerosFromAnyRecordToTheEndAreAZeroedTail() throws IOException {
        for (Placed from : log.records()) {
            byte[] bytes = log.bytes().clone();
            Arrays.fill(bytes, (int) from.firstHeader(), bytes.length, (byte) 0);
            Outcome outcome = LogFixtures.readBothWays(bytes);
            assertThat(outcome.records()).containsExactlyElementsOf(payloads().subList(0, from.index()));
            assertThat(outcome.problems()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(LogProblem.Kind.ZEROED_TAIL);
                assertThat(p.offset()).isEqualTo(from.firstHeader());
                assertThat(p.bytesDropped()).isEqualTo(bytes.length - from.firstHeader());
            });
        }
    }

    @Test
    void preallocatedZerosAfterTheLastRecordAreAZeroedTail() throws IOException {
        byte[] bytes = Arrays.copyOf(log.bytes(), log.bytes().length + 50_000);
        Outcome outcome = LogFixtures.read(bytes);
        assertThat(outcome.records()).containsExactlyElementsOf(payloads());
        assertThat(outcome.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(LogProblem.Kind.ZEROED_TAIL);
            assertThat(p.offset()).isEqualTo(log.bytes().length);
        });
    }

    @Test
    void zerosInTheMiddleAreAZeroedRangeAndLaterBlocksStillRead() throws IOException {
        Placed small = log.records().get(3); // in block 0, followed by more blocks
        byte[] bytes = log.bytes().clone();
        Arrays.fill(bytes, (int) small.firstHeader(), (int) small.end(), (byte) 0);
        Outcome outcome = LogFixtures.read(bytes);
        List<byte[]> expected = new ArrayList<>(payloads().subList(0, 3));
        expected.addAll(payloads().subList(7, payloads().size()));
        assertThat(outcome.records()).containsExactlyElementsOf(expected);
        assertThat(outcome.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(LogProblem.Kind.ZEROED_RANGE);
            assertThat(p.offset()).isEqualTo(small.firstHeader());
            assertThat(p.bytesDropped()).isEqualTo(BLOCK_SIZE - small.firstHeader());
        });
    }

    @Test
    void lengthPastTheBlockIsABadLength() throws IOException {
        Placed small = log.records().get(2);
        byte[] bytes = log.bytes().clone();
        bytes[(int) small.firstHeader() + 5] = (byte) 0xff; // length >= 65280
        Outcome outcome = LogFixtures.read(bytes);
        assertThat(outcome.problems().get(0).kind()).isEqualTo(LogProblem.Kind.BAD_LENGTH);
        assertThat(outcome.problems().get(0).offset()).isEqualTo(small.firstHeader());
        assertThat(outcome.records()).containsExactlyElementsOf(expectedWithout(small));
    }

    @Test
    void fragmentsOutOfOrderAreReported() throws IOException {
        Placed spanning = log.records().get(7);
        byte[] bytes = log.bytes().clone();
        // Turn the FIRST fragment's type into MIDDLE and fix its checksum: a valid fragment in the wrong place.
        int header = (int) spanning.firstHeader();
        int length = (bytes[header + 4] & 0xff) | (bytes[header + 5] & 0xff) << 8;
        bytes[header + 6] = (byte) RecordType.MIDDLE.code();
        org.lsmtree.format.LittleEndian.putFixed32(bytes, header, org.lsmtree.format.Crc32c.mask(
                org.lsmtree.format.Crc32c.compute(bytes[header + 6], bytes, header + HEADER_SIZE, length)));
        Outcome outcome = LogFixtures.read(bytes);
        assertThat(outcome.problems()).extracting(LogProblem::kind).containsOnly(LogProblem.Kind.FRAGMENT_OUT_OF_ORDER);
        assertThat(outcome.problems()).extracting(LogProblem::offset).containsExactlyElementsOf(spanning.fragmentHeaders());
        assertThat(outcome.records()).containsExactlyElementsOf(expectedWithout(spanning));
    }

    private static List<byte[]> expectedWithout(Placed lost) {
        List<byte[]> expected = new ArrayList<>();
        for (Placed placed : log.records()) {
            boolean sameBlockAfter = placed.firstHeader() > lost.firstHeader()
                    && placed.firstHeader() / BLOCK_SIZE == lost.end() / BLOCK_SIZE && lost.fragmentHeaders().size() == 1;
            if (placed != lost && !sameBlockAfter) {
                expected.add(placed.payload());
            }
        }
        return expected;
    }

    private static List<byte[]> payloads() {
        return payloads;
    }
}
