package org.lsmtree.format.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iq80.leveldb.impl.FileChannelLogWriter;
import org.iq80.leveldb.impl.LogMonitor;
import org.iq80.leveldb.util.Slice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden tests against LevelDB's log format as the pure-Java LevelDB port writes and reads it:
 * the same records give the same bytes, and each side reads the other's file record for record.
 */
class LogGoldenTest {

    @TempDir
    Path directory;

    /** Records that exercise every framing case: empty, exact block fits, 7 and 3 bytes left, MIDDLE fragments. */
    private static List<byte[]> records() {
        Random random = new Random(2024);
        List<byte[]> records = new ArrayList<>();
        records.add(new byte[0]);
        records.add("hello, leveldb".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.add(LogFixtures.randomBytes(random, 1000));
        // Fill block 0 so exactly a header's worth (7 bytes) is left: the next record starts with an empty FIRST.
        int used = 3 * HEADER_SIZE + 14 + 1000;
        records.add(LogFixtures.randomBytes(random, BLOCK_SIZE - used - 2 * HEADER_SIZE));
        records.add(LogFixtures.randomBytes(random, 500));
        // Leave 3 bytes in block 1: a zero-filled trailer.
        records.add(LogFixtures.randomBytes(random, BLOCK_SIZE - (HEADER_SIZE + 500) - HEADER_SIZE - 3));
        records.add(LogFixtures.randomBytes(random, 3 * BLOCK_SIZE + 123)); // FIRST, MIDDLE, MIDDLE, LAST
        for (int i = 0; i < 50; i++) {
            records.add(LogFixtures.randomBytes(random, random.nextInt(3000)));
        }
        records.add(LogFixtures.randomBytes(random, BLOCK_SIZE - HEADER_SIZE)); // exactly one block's room
        return records;
    }

    @Test
    void ourWriterProducesLevelDbsBytes() throws IOException {
        byte[] theirs = writeWithLevelDb(records());
        byte[] ours = LogFixtures.write(records()).bytes();
        assertThat(ours).hasSameSizeAs(theirs);
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void weReadLevelDbsLogRecordForRecord() throws IOException {
        byte[] theirs = writeWithLevelDb(records());
        LogFixtures.Outcome outcome = LogFixtures.read(theirs);
        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.records()).containsExactlyElementsOf(records());
    }

    @Test
    void levelDbReadsOurLogRecordForRecord() throws IOException {
        Path file = directory.resolve("000007.log");
        Files.write(file, LogFixtures.write(records()).bytes());
        List<String> corruptions = new ArrayList<>();
        LogMonitor monitor = new LogMonitor() {
            @Override
            public void corruption(long bytes, String reason) {
                corruptions.add(bytes + ": " + reason);
            }

            @Override
            public void corruption(long bytes, Throwable reason) {
                corruptions.add(bytes + ": " + reason);
            }
        };
        List<byte[]> read = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            org.iq80.leveldb.impl.LogReader reader = new org.iq80.leveldb.impl.LogReader(channel, monitor, true, 0);
            for (Slice record = reader.readRecord(); record != null; record = reader.readRecord()) {
                read.add(record.getBytes());
            }
        }
        assertThat(corruptions).isEmpty();
        assertThat(read).containsExactlyElementsOf(records());
    }

    @Test
    void levelDbsChecksumsAreMaskedCrc32cOfTypeAndPayload() throws IOException {
        byte[] payload = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] theirs = writeWithLevelDb(List.of(payload));
        int masked = org.lsmtree.format.LittleEndian.getFixed32(theirs, 0);
        assertThat(org.lsmtree.format.Crc32c.unmask(masked))
                .isEqualTo(org.lsmtree.format.Crc32c.compute((byte) RecordType.FULL.code(), payload, 0, 3));
    }

    private byte[] writeWithLevelDb(List<byte[]> records) throws IOException {
        Path file = directory.resolve("leveldb-" + System.nanoTime() + ".log");
        FileChannelLogWriter writer = new FileChannelLogWriter(file.toFile(), 3);
        try {
            for (byte[] record : records) {
                writer.addRecord(new Slice(record), false);
            }
        } finally {
            writer.close();
        }
        return Files.readAllBytes(file);
    }

    /** The worked example of docs/format/log.md, byte for byte. */
    @Test
    void documentedExampleBytes() throws IOException {
        byte[] ours = LogFixtures.write(List.of("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new byte[0])).bytes();
        assertThat(java.util.HexFormat.of().formatHex(ours))
                .isEqualTo("0bb95758" + "0500" + "01" + "68656c6c6f" + "052b2843" + "0000" + "01");
    }
}
