package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.ByteArrayWritableFile;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.Mutation;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

/**
 * A write group appended as one record ({@link WalWriter#append(long, List)}) is byte for byte the
 * record of the batches merged into one, and reaches the file in one append, so that the flush
 * after it is one write to the operating system, whatever the record's size.
 */
class WalGroupAppendTest {

    @Test
    void aGroupIsTheRecordOfItsMergedBatchesInOneAppend() {
        SeededCases.check(40, WalGroupAppendTest::groupMatchesMerged);
    }

    @Test
    void aGroupWithEmptyBatchesKeepsTheEntriesOfTheOthers() throws IOException {
        List<WriteBatch> group = List.of(new WriteBatch(), new WriteBatch().put(new byte[] {1}, new byte[] {2}),
                new WriteBatch());
        ByteArrayWritableFile file = new ByteArrayWritableFile();
        try (WalWriter writer = new WalWriter(file)) {
            writer.append(7, group);
        }
        WriteBatch merged = new WriteBatch().put(new byte[] {1}, new byte[] {2});
        assertThat(file.toByteArray()).isEqualTo(recordOf(7, merged, 0));
    }

    private static void groupMatchesMerged(SeededRandom random) throws IOException {
        List<WriteBatch> group = new ArrayList<>();
        WriteBatch merged = new WriteBatch();
        for (int n = random.intBetween(1, 30); n > 0; n--) {
            List<Mutation> ops = random.mutations(4, random.oneIn(3) ? 40_000 : 200, 20);
            WriteBatch batch = WalFixtures.batchOf(ops);
            group.add(batch);
            merged.append(batch);
        }
        long sequence = random.longBetween(0, 1L << 40);
        int existing = random.oneIn(2) ? 0 : random.intBetween(1, 3 * 32768);
        CountingFile file = new CountingFile();
        file.append(new byte[existing]);
        try (WalWriter writer = new WalWriter(file, existing)) {
            writer.append(sequence, group);
            writer.append(sequence + merged.count(), group.get(0));
        }
        assertThat(file.appends).as("one append per record after the existing bytes").isEqualTo(3);
        byte[] expected = recordOf(sequence, merged, existing);
        byte[] actual = file.toByteArray();
        assertThat(java.util.Arrays.copyOfRange(actual, 0, expected.length)).isEqualTo(expected);
    }

    /** The bytes of a log that holds {@code existing} zero bytes and then {@code batch} as one record. */
    private static byte[] recordOf(long sequence, WriteBatch batch, int existing) throws IOException {
        ByteArrayWritableFile file = new ByteArrayWritableFile();
        file.append(new byte[existing]);
        try (WalWriter writer = new WalWriter(file, existing)) {
            writer.append(sequence, batch);
        }
        return file.toByteArray();
    }

    /** A file in memory that counts the appends it is handed. */
    private static final class CountingFile implements WritableFile {
        private final ByteArrayWritableFile bytes = new ByteArrayWritableFile();
        int appends;

        @Override
        public void append(byte[] source, int offset, int length) {
            appends++;
            bytes.append(source, offset, length);
        }

        @Override
        public void append(ByteBuf source) {
            appends++;
            bytes.append(source);
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {}

        @Override
        public long size() {
            return bytes.size();
        }

        @Override
        public void close() {}

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
