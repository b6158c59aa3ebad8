package org.lsmtree.format.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.testing.HostileInputs;
import org.lsmtree.testing.TortureReport;

/**
 * Hostile input to the log record framing (WAL and MANIFEST): random and mutated logs, half of
 * them with every fragment checksum recomputed after the mutation so that damaged lengths and
 * types reach the reader's structure checks instead of stopping at the checksum. The reader must
 * classify every problem through its reporter and never throw (a {@link CorruptionException} is
 * tolerated, anything else fails), from a random-access file and from a sequential one alike.
 * Runs in the 64 MiB JVM of the {@code hostile-inputs} surefire execution.
 */
class LogHostileInputTest {
    private static final TortureReport REPORT = new TortureReport("hostile inputs (lsm-format)");

    @AfterAll
    static void printFigures() {
        System.out.print(REPORT.render());
    }

    @Test
    void randomAndMutatedLogsAreReportedNeverThrown() throws IOException {
        List<byte[]> corpus = corpus();
        HostileInputs.Tally tally = HostileInputs.run("log record framing", corpus, CorruptionException.class,
                input -> {
                    readAll(input, true);
                    readAll(withFixedChecksums(input), false);
                }, REPORT);
        assertThat(tally.rejected()).as("the reader reports, it does not throw").isZero();
    }

    @Test
    void aFragmentClaimingTheLargestLengthInATinyFileCostsNoMemory() {
        byte[] header = fragment(RecordType.FULL.code(), new byte[0]);
        LittleEndian.putFixed32(header, 0, 0); // a checksum that cannot match
        header[4] = (byte) 0xff; // length 65535 in a 7-byte file
        header[5] = (byte) 0xff;
        long before = HostileInputs.allocatedBytes();
        List<LogProblem> problems = readAll(header, true);
        assertThat(HostileInputs.allocatedBytes() - before).isLessThan(256 << 10);
        assertThat(problems).isNotEmpty();
    }

    @Test
    void aChainOfMiddleFragmentsWithoutAnEndIsDroppedWithoutKeepingIt() {
        byte[] payload = new byte[BLOCK_SIZE - HEADER_SIZE];
        List<byte[]> fragments = new ArrayList<>();
        fragments.add(fragment(RecordType.FIRST.code(), payload));
        for (int i = 0; i < 20; i++) { // 640 KiB of MIDDLE fragments, no LAST
            fragments.add(fragment(RecordType.MIDDLE.code(), payload));
        }
        byte[] log = HostileInputs.concat(fragments.toArray(new byte[0][]));
        long before = HostileInputs.allocatedBytes();
        List<LogProblem> problems = readAll(log, true);
        long allocated = HostileInputs.allocatedBytes() - before;
        assertThat(problems).isNotEmpty();
        assertThat(allocated).as("bytes allocated reading a chain that never ends").isLessThan(log.length / 2);
    }

    @Test
    void anUnknownRecordTypeWithAValidChecksumIsReported() {
        List<LogProblem> problems = readAll(fragment(255, new byte[] {1, 2, 3}), true);
        assertThat(problems).isNotEmpty();
    }

    /** Reads every record of {@code log}; returns the problems reported. */
    private static List<LogProblem> readAll(byte[] log, boolean randomAccess) {
        List<LogProblem> problems = new ArrayList<>();
        try (LogReader reader = randomAccess
                ? new LogReader(new org.lsmtree.format.storage.ByteArrayRandomReadFile(log), problems::add, 1 << 20)
                : new LogReader(new org.lsmtree.format.storage.ByteArraySequentialFile(log), problems::add, 1 << 20)) {
            while (reader.readRecord() != null) {
                // read through
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("a reader over bytes in memory threw", e);
        }
        return problems;
    }

    /** One fragment: header (checksum, length, type) and payload. */
    static byte[] fragment(int type, byte[] payload) {
        byte[] bytes = new byte[HEADER_SIZE + payload.length];
        bytes[4] = (byte) payload.length;
        bytes[5] = (byte) (payload.length >>> 8);
        bytes[6] = (byte) type;
        System.arraycopy(payload, 0, bytes, HEADER_SIZE, payload.length);
        LittleEndian.putFixed32(bytes, 0, Crc32c.mask(Crc32c.compute((byte) type, payload, 0, payload.length)));
        return bytes;
    }

    /**
     * A copy of {@code log} with the checksum of every fragment whose header and payload fit in
     * its block recomputed, walking the blocks as a reader would.
     */
    static byte[] withFixedChecksums(byte[] log) {
        byte[] fixed = log.clone();
        for (int block = 0; block < fixed.length; block += BLOCK_SIZE) {
            int end = Math.min(fixed.length, block + BLOCK_SIZE);
            int at = block;
            while (end - at >= HEADER_SIZE) {
                int length = (fixed[at + 4] & 0xff) | (fixed[at + 5] & 0xff) << 8;
                if (at + HEADER_SIZE + length > end) {
                    break;
                }
                LittleEndian.putFixed32(fixed, at, Crc32c.mask(Crc32c.compute(fixed[at + 6], fixed, at + HEADER_SIZE,
                        length)));
                at += HEADER_SIZE + length;
            }
        }
        return fixed;
    }

    /** Logs our writer wrote: empty, one record, several small ones, records that span blocks. */
    private static List<byte[]> corpus() throws IOException {
        Random random = new Random(7);
        List<byte[]> corpus = new ArrayList<>();
        corpus.add(new byte[0]);
        for (int[] sizes : new int[][] {{0}, {1}, {10, 0, 200}, {3, 5, 8, 13, 21, 34}, {BLOCK_SIZE - 2 * HEADER_SIZE, 5},
                {40_000}, {BLOCK_SIZE - HEADER_SIZE - 3, 1, 2}}) {
            List<byte[]> payloads = new ArrayList<>();
            for (int size : sizes) {
                payloads.add(LogFixtures.randomBytes(random, size));
            }
            corpus.add(LogFixtures.write(payloads).bytes());
        }
        return corpus;
    }
}
