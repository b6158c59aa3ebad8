package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.storage.ByteArrayRandomReadFile;
import org.lsmtree.format.storage.ByteArrayWritableFile;
import org.lsmtree.testing.HostileInputs;
import org.lsmtree.testing.SeededRandom;
import org.lsmtree.testing.TortureReport;

/**
 * Hostile input to the write batch ({@link WriteBatchCodec}) and to the WAL reader that frames
 * it: random and mutated encodings, and crafted headers and lengths of 2^31, 2^32 - 1 and 2^63.
 * Only {@link CorruptionException} may come out, and a crafted length must be refused before
 * anything is allocated for it. Runs in the 64 MiB JVM of the {@code hostile-inputs} execution.
 */
class WriteBatchHostileInputTest {
    private static final TortureReport REPORT = new TortureReport("hostile inputs (lsm-wal)");
    /** What decoding a small crafted batch may allocate: copies of it and a few objects, never its claims. */
    private static final long SMALL = 64 << 10;

    @AfterAll
    static void printFigures() {
        System.out.print(REPORT.render());
    }

    @Test
    void randomAndMutatedBatchesDecodeOrAreCorruption() {
        HostileInputs.run("write batch", batches(), CorruptionException.class, input -> {
            SequencedBatch batch = WriteBatchCodec.INSTANCE.decode(input);
            assertThat(WalFixtures.ops(batch.batch())).hasSize(batch.batch().count());
        }, REPORT);
    }

    @Test
    void randomAndMutatedWalsReplayOrAreCorruption() throws IOException {
        List<byte[]> wals = new ArrayList<>();
        SeededRandom random = new SeededRandom(11);
        for (int w = 0; w < 6; w++) {
            ByteArrayWritableFile sink = new ByteArrayWritableFile();
            try (WalWriter writer = new WalWriter(sink)) {
                long sequence = 1;
                for (int b = 0; b < 1 + w * 3; b++) {
                    WriteBatch batch = WalFixtures.batchOf(random.mutations(6, w == 5 ? 40_000 : 100, Integer.MAX_VALUE));
                    writer.append(sequence, batch);
                    sequence += Math.max(1, batch.count());
                }
            }
            wals.add(sink.toByteArray());
        }
        HostileInputs.run("WAL replay", wals, CorruptionException.class, input -> {
            CorruptionException refused = null; // by the strictest mode that refused the log
            for (WalRecoveryMode mode : WalRecoveryMode.values()) {
                try (WalReader reader = new WalReader(new ByteArrayRandomReadFile(input), "hostile.log", mode, 1 << 20)) {
                    while (reader.next() != null) {
                        // replay through
                    }
                } catch (CorruptionException e) {
                    assertThat(e.file()).isEqualTo("hostile.log");
                    assertThat(e.offset()).isNotNegative();
                    refused = refused == null ? e : refused;
                }
            }
            if (refused != null) {
                throw refused;
            }
        }, REPORT);
    }

    @Test
    void countsOfTwoToThe31And32AreRefusedBeforeAllocating() {
        for (long count : new long[] {1L << 31, 0xffff_ffffL, (1L << 31) - 1}) {
            byte[] header = new byte[WalFormat.HEADER_SIZE];
            LittleEndian.putFixed64(header, 0, 1);
            LittleEndian.putFixed32(header, 8, (int) count);
            CorruptionException e = HostileInputs.assertRejected("count " + count, header, CorruptionException.class,
                    SMALL, WriteBatchCodec.INSTANCE::decode);
            assertThat(e.offset()).isEqualTo(8);
        }
    }

    @Test
    void keyAndValueLengthsOfTwoToThe31And32AreRefusedBeforeAllocating() {
        for (long length : new long[] {1L << 31, 0xffff_ffffL, (1L << 31) - 1, 1000}) {
            byte[] key = HostileInputs.concat(header(1, 1), new byte[] {(byte) WalFormat.TAG_DELETE}, HostileInputs.varint(length),
                    new byte[] {'k'});
            HostileInputs.assertRejected("key length " + length, key, CorruptionException.class, SMALL,
                    WriteBatchCodec.INSTANCE::decode);
            byte[] value = HostileInputs.concat(header(1, 1), new byte[] {(byte) WalFormat.TAG_PUT, 1, 'k'},
                    HostileInputs.varint(length), new byte[] {'v'});
            HostileInputs.assertRejected("value length " + length, value, CorruptionException.class, SMALL,
                    WriteBatchCodec.INSTANCE::decode);
        }
    }

    @Test
    void aVarintLengthOfTwoToThe63OrLongerThanFiveBytesIsCorruption() {
        byte[] bomb = HostileInputs.concat(header(1, 1), new byte[] {(byte) WalFormat.TAG_DELETE},
                HostileInputs.varint(1L << 63), new byte[] {'k'});
        HostileInputs.assertRejected("key length 2^63", bomb, CorruptionException.class, SMALL,
                WriteBatchCodec.INSTANCE::decode);
    }

    @Test
    void sequencesOfTwoToThe63AndPastTwoToThe56AreCorruption() {
        for (long sequence : new long[] {1L << 63, -1L, 1L << 56, (1L << 56) - 1}) {
            byte[] batch = HostileInputs.concat(header(sequence, 2), new byte[] {(byte) WalFormat.TAG_DELETE, 1, (byte) 'a',
                    (byte) WalFormat.TAG_DELETE, 1, (byte) 'b'});
            HostileInputs.assertRejected("sequence " + Long.toUnsignedString(sequence), batch,
                    CorruptionException.class, SMALL, WriteBatchCodec.INSTANCE::decode);
        }
    }

    private static byte[] header(long sequence, int count) {
        byte[] header = new byte[WalFormat.HEADER_SIZE];
        LittleEndian.putFixed64(header, 0, sequence);
        LittleEndian.putFixed32(header, 8, count);
        return header;
    }

    /** Encoded batches of several shapes: empty, deletes only, small and large values. */
    private static List<byte[]> batches() {
        SeededRandom random = new SeededRandom(5);
        List<byte[]> corpus = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            WriteBatch batch = WalFixtures.batchOf(random.mutations(i % 8 * 3, i % 5 == 4 ? 3000 : 40, Integer.MAX_VALUE));
            corpus.add(WriteBatchCodec.INSTANCE.encode(new SequencedBatch(1 + random.nextInt(1 << 20), batch)));
        }
        return corpus;
    }
}
