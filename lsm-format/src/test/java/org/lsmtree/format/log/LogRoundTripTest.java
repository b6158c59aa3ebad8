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
import org.lsmtree.format.storage.ByteArraySequentialFile;
import org.lsmtree.format.storage.ByteArrayWritableFile;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

class LogRoundTripTest {

    /**
     * Up to 12 record sizes: tiny (0 to 16), around a block (a header short of filling one to a
     * header past it), up to three blocks, and now and then 3 to 5 MiB.
     */
    private static List<Integer> recordSizes(SeededRandom random) {
        List<Integer> sizes = new ArrayList<>();
        for (int n = random.intBetween(0, 12); n > 0; n--) {
            sizes.add(switch (random.weighted(4, 2, 4, 1)) {
                case 0 -> random.intBetween(0, 16);
                case 1 -> random.intBetween(BLOCK_SIZE - 2 * HEADER_SIZE, BLOCK_SIZE + HEADER_SIZE);
                case 2 -> random.intBetween(0, 3 * BLOCK_SIZE);
                default -> random.intBetween(3 << 20, 5 << 20);
            });
        }
        return sizes;
    }

    @Test
    void recordsOfAnySizeComeBackInOrder() {
        SeededCases.checkShrinking(60, LogRoundTripTest::recordSizes, LogRoundTripTest::recordsComeBackInOrder);
    }

    private static void recordsComeBackInOrder(List<Integer> sizes, Random random) throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        for (int size : sizes) {
            payloads.add(LogFixtures.randomBytes(random, size));
        }
        LogFixtures.Log log = LogFixtures.write(payloads);
        LogFixtures.Outcome outcome = LogFixtures.read(log.bytes());
        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.records()).containsExactlyElementsOf(payloads);
        checkFraming(log.bytes());
    }

    @Test
    void emptyRecordIsOneFullFragmentOfHeaderOnly() throws IOException {
        LogFixtures.Log log = LogFixtures.write(List.of(new byte[0]));
        byte[] bytes = log.bytes();
        assertThat(bytes).hasSize(HEADER_SIZE);
        assertThat(bytes[6]).isEqualTo((byte) RecordType.FULL.code());
        assertThat(LittleEndian.getFixed32(bytes, 0))
                .isEqualTo(Crc32c.mask(Crc32c.compute((byte) RecordType.FULL.code(), new byte[0], 0, 0)));
        assertThat(LogFixtures.read(bytes).records()).containsExactly(new byte[0]);
    }

    @Test
    void blockTailTooShortForAHeaderIsZeroFilled() throws IOException {
        byte[] first = new byte[BLOCK_SIZE - HEADER_SIZE - 3]; // leaves 3 bytes in block 0
        Arrays.fill(first, (byte) 0x5a);
        LogFixtures.Log log = LogFixtures.write(List.of(first, new byte[] {1, 2, 3}));
        byte[] bytes = log.bytes();
        assertThat(bytes).hasSize(BLOCK_SIZE + HEADER_SIZE + 3);
        assertThat(Arrays.copyOfRange(bytes, BLOCK_SIZE - 3, BLOCK_SIZE)).containsOnly(0);
        assertThat(bytes[BLOCK_SIZE + 6]).isEqualTo((byte) RecordType.FULL.code());
        assertThat(LogFixtures.read(bytes).records()).containsExactly(first, new byte[] {1, 2, 3});
    }

    @Test
    void exactlyAHeaderLeftStartsTheNextRecordWithAnEmptyFirstFragment() throws IOException {
        byte[] first = new byte[BLOCK_SIZE - 2 * HEADER_SIZE]; // leaves exactly 7 bytes in block 0
        byte[] second = {9, 8, 7};
        LogFixtures.Log log = LogFixtures.write(List.of(first, second));
        byte[] bytes = log.bytes();
        assertThat(bytes[BLOCK_SIZE - HEADER_SIZE + 4]).isZero(); // length 0
        assertThat(bytes[BLOCK_SIZE - HEADER_SIZE + 6]).isEqualTo((byte) RecordType.FIRST.code());
        assertThat(bytes[BLOCK_SIZE + 6]).isEqualTo((byte) RecordType.LAST.code());
        assertThat(LogFixtures.read(bytes).records()).containsExactly(first, second);
    }

    @Test
    void writerContinuesAnExistingLogAtItsBlockPosition() throws IOException {
        Random random = new Random(7);
        List<byte[]> before = List.of(LogFixtures.randomBytes(random, 40_000), LogFixtures.randomBytes(random, 10));
        List<byte[]> after = List.of(LogFixtures.randomBytes(random, 30_000), new byte[0]);
        byte[] existing = LogFixtures.write(before).bytes();
        ByteArrayWritableFile sink = new ByteArrayWritableFile();
        sink.append(existing);
        LogWriter writer = new LogWriter(sink, existing.length);
        for (byte[] record : after) {
            writer.addRecord(record);
        }
        assertThat(writer.position()).isEqualTo(sink.size());
        List<byte[]> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(sink.toByteArray()).isEqualTo(LogFixtures.write(all).bytes());
    }

    @Test
    void readerReportsWhereEachRecordLies() throws IOException {
        Random random = new Random(11);
        List<byte[]> payloads = List.of(LogFixtures.randomBytes(random, 100), LogFixtures.randomBytes(random, 70_000),
                LogFixtures.randomBytes(random, 5));
        LogFixtures.Log log = LogFixtures.write(payloads);
        try (LogReader reader = new LogReader(new ByteArraySequentialFile(log.bytes()), p -> {
            throw new AssertionError(p.toString());
        })) {
            for (LogFixtures.Placed placed : log.records()) {
                assertThat(reader.readRecord()).isEqualTo(placed.payload());
                assertThat(reader.lastRecordOffset()).isEqualTo(placed.firstHeader());
                assertThat(reader.lastRecordEnd()).isEqualTo(placed.end());
            }
            assertThat(reader.readRecord()).isNull();
        }
    }

    /** No fragment crosses a block boundary; every gap at a block end is under 7 zero bytes. */
    private static void checkFraming(byte[] bytes) {
        int position = 0;
        while (position < bytes.length) {
            int inBlock = position % BLOCK_SIZE;
            if (BLOCK_SIZE - inBlock < HEADER_SIZE) {
                for (int i = position; i < Math.min(bytes.length, position + BLOCK_SIZE - inBlock); i++) {
                    assertThat(bytes[i]).as("trailer byte at %d", i).isZero();
                }
                position += BLOCK_SIZE - inBlock;
                continue;
            }
            int length = (bytes[position + 4] & 0xff) | (bytes[position + 5] & 0xff) << 8;
            assertThat(inBlock + HEADER_SIZE + length).as("fragment at %d", position).isLessThanOrEqualTo(BLOCK_SIZE);
            position += HEADER_SIZE + length;
        }
        assertThat(position).isEqualTo(bytes.length);
    }
}
