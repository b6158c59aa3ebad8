package org.lsmtree.format.log;

import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lsmtree.format.storage.ByteArrayRandomReadFile;
import org.lsmtree.format.storage.ByteArraySequentialFile;
import org.lsmtree.format.storage.ByteArrayWritableFile;

/** Builds logs in memory and reads them back, remembering where every record lies. */
final class LogFixtures {
    private LogFixtures() {}

    /** Where one record lies: its first header, its end, and its bytes. */
    record Placed(int index, long firstHeader, long end, byte[] payload) {
        /** The offsets of its fragment headers: the first, then one at every block boundary it crosses. */
        List<Long> fragmentHeaders() {
            List<Long> headers = new ArrayList<>();
            headers.add(firstHeader);
            for (long b = (firstHeader / BLOCK_SIZE + 1) * BLOCK_SIZE; b < end; b += BLOCK_SIZE) {
                headers.add(b);
            }
            return headers;
        }

        /** The header offset of the fragment holding byte {@code offset}, or -1 when outside the record. */
        long fragmentHolding(long offset) {
            if (offset < firstHeader || offset >= end) {
                return -1;
            }
            return Math.max(firstHeader, offset / BLOCK_SIZE * BLOCK_SIZE);
        }
    }

    /** A log written by our writer, with the placement of each record. */
    record Log(byte[] bytes, List<Placed> records) {}

    static Log write(List<byte[]> payloads) throws IOException {
        ByteArrayWritableFile sink = new ByteArrayWritableFile();
        List<Placed> placed = new ArrayList<>();
        try (LogWriter writer = new LogWriter(sink)) {
            for (byte[] payload : payloads) {
                long start = writer.position();
                long firstHeader = BLOCK_SIZE - start % BLOCK_SIZE < HEADER_SIZE
                        ? (start / BLOCK_SIZE + 1) * BLOCK_SIZE : start;
                long end = writer.addRecord(payload);
                placed.add(new Placed(placed.size(), firstHeader, end, payload));
            }
        }
        return new Log(sink.toByteArray(), placed);
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** What a reader returned and reported. */
    record Outcome(List<byte[]> records, List<LogProblem> problems) {
        boolean sameAs(Outcome other) {
            if (records.size() != other.records.size() || !problems.equals(other.problems)) {
                return false;
            }
            for (int i = 0; i < records.size(); i++) {
                if (!java.util.Arrays.equals(records.get(i), other.records.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Reads {@code bytes[0, length)} as the WAL and MANIFEST readers do, from a random-access file. */
    static Outcome read(byte[] bytes, int length) throws IOException {
        List<LogProblem> problems = new ArrayList<>();
        return read(new LogReader(new ByteArrayRandomReadFile(bytes, length), problems::add,
                LogFormat.DEFAULT_MAX_RECORD_SIZE), problems);
    }

    static Outcome read(byte[] bytes) throws IOException {
        return read(bytes, bytes.length);
    }

    /** Reads {@code bytes[0, length)} from a sequential file, which the reader cannot look ahead in. */
    static Outcome readSequentially(byte[] bytes, int length) throws IOException {
        List<LogProblem> problems = new ArrayList<>();
        return read(new LogReader(new ByteArraySequentialFile(bytes, length), problems::add), problems);
    }

    /**
     * Reads {@code bytes[0, length)} both ways, checks that both give the same records and
     * problems, and returns that outcome.
     */
    static Outcome readBothWays(byte[] bytes, int length) throws IOException {
        Outcome random = read(bytes, length);
        Outcome sequential = readSequentially(bytes, length);
        if (!random.sameAs(sequential)) {
            throw new AssertionError("random-access and sequential reads differ at length " + length
                    + ":\n" + random.problems() + "\n" + sequential.problems());
        }
        return random;
    }

    static Outcome readBothWays(byte[] bytes) throws IOException {
        return readBothWays(bytes, bytes.length);
    }

    private static Outcome read(LogReader reader, List<LogProblem> problems) throws IOException {
        List<byte[]> records = new ArrayList<>();
        try (reader) {
            for (byte[] record = reader.readRecord(); record != null; record = reader.readRecord()) {
                records.add(record);
            }
            if (reader.readRecord() != null) {
                throw new AssertionError("reader returned a record after its end");
            }
        }
        return new Outcome(records, problems);
    }
}
