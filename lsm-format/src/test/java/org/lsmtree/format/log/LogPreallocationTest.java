package org.lsmtree.format.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.format.log.LogFormat.PREALLOCATION_CHUNK;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.storage.ByteArrayWritableFile;
import org.lsmtree.format.storage.NioStorage;

/**
 * Logs appended through a mapping ({@code Storage.createMappedAppend}) and the reader's rule for
 * the zeros they leave when the writer dies: unused preallocation is the clean end, the record
 * being copied is a torn tail, and zeros or damage followed by a checksummed fragment stay damage.
 */
class LogPreallocationTest {

    @TempDir Path tempDir;

    private final NioStorage storage = NioStorage.onDefaultFileSystem();

    /** Seeded records from empty to several blocks long, about {@code total} bytes in all; none ends in a zero byte. */
    private static List<byte[]> records(long seed, int total) {
        Random random = new Random(seed);
        List<byte[]> records = new ArrayList<>();
        for (int sum = 0; sum < total; ) {
            int length = random.nextInt(8) == 0 ? random.nextInt(80_000) : random.nextInt(400);
            byte[] record = LogFixtures.randomBytes(random, length);
            if (length > 0) {
                record[length - 1] = 1;
            }
            records.add(record);
            sum += length;
        }
        return records;
    }

    /** {@code bytes[0, length)} followed by zeros up to a whole number of chunks (one at least). */
    private static byte[] preallocated(byte[] bytes, int length, int chunks) {
        byte[] image = new byte[Math.max(chunks, (length + PREALLOCATION_CHUNK - 1) / PREALLOCATION_CHUNK)
                * PREALLOCATION_CHUNK];
        System.arraycopy(bytes, 0, image, 0, length);
        return image;
    }

    private static long seed(String test) {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("LogPreallocationTest." + test + " seed " + seed + " (replay: -Dlsm.seed=" + seed + ")");
        return seed;
    }

    @Test
    void anAbandonedMappedLogReadsBackEveryRecordWithItsZeroTailAsTheCleanEnd() throws IOException {
        long seed = seed("abandoned");
        List<byte[]> records = records(seed, 3 * PREALLOCATION_CHUNK / 2); // crosses a chunk boundary
        Path path = tempDir.resolve("000001.log");
        LogWriter writer = new LogWriter(storage.createMappedAppend(path, PREALLOCATION_CHUNK));
        for (byte[] record : records) {
            writer.addRecord(record);
        }
        // no close: the file as a process that died now would leave it
        long size = Files.size(path);
        assertThat(size).as("seed " + seed).isEqualTo(2L * PREALLOCATION_CHUNK);
        List<LogProblem> problems = new ArrayList<>();
        List<byte[]> read = new ArrayList<>();
        try (LogReader reader = new LogReader(storage.openRandomRead(path), problems::add, LogFormat.DEFAULT_MAX_RECORD_SIZE)) {
            for (byte[] record = reader.readRecord(); record != null; record = reader.readRecord()) {
                read.add(record);
            }
            assertThat(reader.unusedPreallocation()).as("seed " + seed).isEqualTo(size - writer.position());
            assertThat(reader.position()).isEqualTo(size);
        }
        assertThat(problems).as("seed " + seed).isEmpty();
        assertThat(read).as("seed " + seed).hasSameSizeAs(records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(read.get(i)).as("seed " + seed + ", record " + i).isEqualTo(records.get(i));
        }
        LogFixtures.Outcome sequential = LogFixtures.readSequentially(Files.readAllBytes(path), (int) size);
        assertThat(sequential.problems()).as("seed " + seed).isEmpty();
        assertThat(sequential.records()).hasSameSizeAs(records);
        writer.close();
        assertThat(Files.size(path)).isEqualTo(writer.position());
    }

    @Test
    void aClosedMappedLogIsByteIdenticalToTheStreamedWriters() throws IOException {
        long seed = seed("identical");
        List<byte[]> records = records(seed, 3 * PREALLOCATION_CHUNK / 2);
        Path mapped = tempDir.resolve("000002.log");
        ByteArrayWritableFile streamed = new ByteArrayWritableFile();
        try (LogWriter toMapping = new LogWriter(storage.createMappedAppend(mapped, PREALLOCATION_CHUNK));
                LogWriter toStream = new LogWriter(streamed)) {
            for (byte[] record : records) {
                assertThat(toMapping.addRecord(record)).isEqualTo(toStream.addRecord(record));
            }
        }
        assertThat(Files.readAllBytes(mapped)).as("seed " + seed).isEqualTo(streamed.toByteArray());
    }

    @Test
    void aRecordCutOffWhileBeingCopiedIsOneTornTail() throws IOException {
        long seed = seed("cut");
        Random random = new Random(seed);
        for (int lastLength : new int[] {0, 1, 300, 32_761, 70_000}) {
            List<byte[]> records = records(seed + lastLength, 40_000);
            byte[] last = LogFixtures.randomBytes(random, lastLength);
            if (lastLength > 0) {
                last[lastLength - 1] = 1;
            }
            records.add(last);
            LogFixtures.Log log = LogFixtures.write(records);
            LogFixtures.Placed placed = log.records().get(records.size() - 1);
            long previousEnd = log.records().get(records.size() - 2).end();
            int step = placed.end() - placed.firstHeader() > 1000 ? 997 : 1;
            for (long cut = previousEnd + 1; cut < placed.end(); cut += step) {
                byte[] image = preallocated(log.bytes(), (int) cut, 1);
                LogFixtures.Outcome outcome = LogFixtures.read(image);
                String context = "seed " + seed + ", last record of " + lastLength + " bytes cut at " + cut;
                assertThat(outcome.records()).as(context).hasSize(records.size() - 1);
                if (isZero(image, previousEnd, cut)) { // nothing of the record written yet
                    assertThat(outcome.problems()).as(context).isEmpty();
                } else {
                    assertThat(outcome.problems()).as(context).singleElement().satisfies(p -> {
                        assertThat(p.kind()).isEqualTo(LogProblem.Kind.TORN_TAIL);
                        assertThat(p.offset()).isEqualTo(placed.firstHeader());
                        assertThat(p.offset() + p.bytesDropped()).isEqualTo(image.length);
                    });
                }
            }
        }
    }

    @Test
    void zerosFollowedByARecordAreDamageEvenInAPreallocatedLog() throws IOException {
        long seed = seed("zeroed range");
        Random random = new Random(seed);
        List<byte[]> records = records(seed, 200_000);
        LogFixtures.Log log = LogFixtures.write(records);
        LogFixtures.Placed lastRecord = log.records().get(records.size() - 1);
        int dataEnd = (int) lastRecord.end();
        // damage loses the rest of its block, so the zeros end before the last record's block
        int limit = (int) (lastRecord.firstHeader() / LogFormat.BLOCK_SIZE * LogFormat.BLOCK_SIZE);
        assertThat(limit).isPositive();
        for (int round = 0; round < 200; round++) {
            byte[] image = preallocated(log.bytes(), dataEnd, 1);
            int from = random.nextInt(limit);
            int to = from + 1 + random.nextInt(Math.min(40_000, limit - from));
            if (isZero(image, from, to)) {
                continue;
            }
            Arrays.fill(image, from, to, (byte) 0);
            LogFixtures.Outcome outcome = LogFixtures.read(image);
            String context = "seed " + seed + ", zeros over [" + from + ", " + to + ")";
            assertThat(outcome.problems()).as(context).isNotEmpty()
                    .anySatisfy(p -> assertThat(p.kind().isTail()).isFalse())
                    .allSatisfy(p -> assertThat(p.kind()).isNotEqualTo(LogProblem.Kind.TORN_TAIL));
            assertThat(outcome.records()).as(context).isNotEmpty();
            assertThat(outcome.records().get(outcome.records().size() - 1)).as(context).isEqualTo(lastRecord.payload());
        }
    }

    @Test
    void aZeroedRecordHeaderFollowedByRecordsIsAZeroedRange() throws IOException {
        List<byte[]> records = records(11, 100_000);
        LogFixtures.Log log = LogFixtures.write(records);
        LogFixtures.Placed victim = log.records().get(records.size() / 2);
        byte[] image = preallocated(log.bytes(), log.bytes().length, 1);
        Arrays.fill(image, (int) victim.firstHeader(), (int) victim.end(), (byte) 0);
        LogFixtures.Outcome outcome = LogFixtures.read(image);
        assertThat(outcome.problems()).first().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(LogProblem.Kind.ZEROED_RANGE);
            assertThat(p.offset()).isEqualTo(victim.firstHeader());
        });
    }

    @Test
    void zerosOfAChunkOrMoreAreAZeroedTailNotUnusedPreallocation() throws IOException {
        LogFixtures.Log log = LogFixtures.write(records(12, 50_000));
        byte[] image = preallocated(log.bytes(), log.bytes().length, 2);
        LogFixtures.Outcome outcome = LogFixtures.read(image);
        assertThat(outcome.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(LogProblem.Kind.ZEROED_TAIL);
            assertThat(p.offset()).isEqualTo(log.bytes().length);
        });
    }

    @Test
    void aZeroTailInALogThatIsNoWholeNumberOfChunksIsAZeroedTail() throws IOException {
        LogFixtures.Log log = LogFixtures.write(records(13, 50_000));
        byte[] image = Arrays.copyOf(log.bytes(), log.bytes().length + 100);
        LogFixtures.Outcome outcome = LogFixtures.readBothWays(image);
        assertThat(outcome.records()).hasSize(log.records().size());
        assertThat(outcome.problems()).singleElement().satisfies(p ->
                assertThat(p.kind()).isEqualTo(LogProblem.Kind.ZEROED_TAIL));
    }

    @Test
    void aPreallocatedLogWithNoRecordIsEmptyAndClean() throws IOException {
        byte[] image = new byte[PREALLOCATION_CHUNK];
        List<LogProblem> problems = new ArrayList<>();
        try (LogReader reader = new LogReader(new org.lsmtree.format.storage.ByteArrayRandomReadFile(image),
                problems::add, LogFormat.DEFAULT_MAX_RECORD_SIZE)) {
            assertThat(reader.readRecord()).isNull();
            assertThat(reader.unusedPreallocation()).isEqualTo(PREALLOCATION_CHUNK);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aReaderWithoutPreallocationReportsTheZeroTailOfAWholeChunk() throws IOException {
        LogFixtures.Log log = LogFixtures.write(records(14, 50_000));
        byte[] image = preallocated(log.bytes(), log.bytes().length, 1);
        List<LogProblem> problems = new ArrayList<>();
        List<byte[]> read = new ArrayList<>();
        try (LogReader reader = new LogReader(new org.lsmtree.format.storage.ByteArrayRandomReadFile(image),
                problems::add, LogFormat.DEFAULT_MAX_RECORD_SIZE).withoutPreallocation()) {
            for (byte[] record = reader.readRecord(); record != null; record = reader.readRecord()) {
                read.add(record);
            }
            assertThat(reader.unusedPreallocation()).isZero();
        }
        assertThat(read).hasSize(log.records().size());
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(LogProblem.Kind.ZEROED_TAIL);
            assertThat(p.offset()).isEqualTo(log.bytes().length);
        });
    }

    private static boolean isZero(byte[] bytes, long from, long to) {
        for (long i = from; i < to; i++) {
            if (bytes[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }
}
