package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.log.LogWriter;
import org.lsmtree.format.storage.ByteArrayWritableFile;
import org.lsmtree.wal.WalFixtures.Replay;

/**
 * The examples of {@link WalRecoveryMode}'s documentation, run: batches B1..B5 (sequences 1..5),
 * one thing wrong with B3, the same damaged file replayed in each mode.
 */
class WalRecoveryModeTest {

    /** Five one-put batches, each its own record; {@code third} replaces B3's encoded bytes when not null. */
    private static byte[] log(byte[] third, List<Long> recordStarts) throws IOException {
        ByteArrayWritableFile file = new ByteArrayWritableFile();
        LogWriter writer = new LogWriter(file);
        for (int i = 1; i <= 5; i++) {
            byte[] batch = WriteBatchCodec.INSTANCE.encode(
                    new SequencedBatch(i, new WriteBatch().put(new byte[] {(byte) i}, new byte[] {(byte) i})));
            recordStarts.add(writer.position());
            writer.addRecord(i == 3 && third != null ? third : batch);
        }
        return file.toByteArray();
    }

    private static List<Long> sequences(Replay replay) {
        return replay.batches().stream().map(SequencedBatch::sequence).toList();
    }

    @Test
    void tornB3() throws IOException {
        List<Long> starts = new ArrayList<>();
        byte[] bytes = log(null, starts);
        int cut = (int) (starts.get(2) + 10); // B3 cut off mid-record; B4, B5 never written
        assertThat(sequences(WalFixtures.replay(bytes, cut, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL))).containsExactly(1L, 2L);
        assertThat(WalFixtures.replay(bytes, cut, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL).problems())
                .singleElement().extracting(WalProblem::kind).isEqualTo(WalProblem.Kind.TORN_TAIL);
        Replay absolute = WalFixtures.replay(bytes, cut, WalRecoveryMode.ABSOLUTE_CONSISTENCY);
        assertThat(absolute.error()).isInstanceOfSatisfying(CorruptionException.class,
                e -> assertThat(e.offset()).isEqualTo(starts.get(2)));
        assertThat(sequences(WalFixtures.replay(bytes, cut, WalRecoveryMode.POINT_IN_TIME))).containsExactly(1L, 2L);
        assertThat(sequences(WalFixtures.replay(bytes, cut, WalRecoveryMode.SKIP_ANY_CORRUPTED))).containsExactly(1L, 2L);
    }

    @Test
    void badChecksumInB3() throws IOException {
        List<Long> starts = new ArrayList<>();
        byte[] bytes = log(null, starts);
        bytes[(int) (starts.get(2) + 7 + 12)] ^= 0x10; // a byte of B3's payload
        checkMidFileDamage(bytes, starts, List.of(), "BAD_CHECKSUM");
    }

    @Test
    void b3NotAValidBatch() throws IOException {
        List<Long> starts = new ArrayList<>();
        byte[] valid = WriteBatchCodec.INSTANCE.encode(new SequencedBatch(3, new WriteBatch().put(new byte[] {3}, new byte[] {3})));
        byte[] badCount = Arrays.copyOf(valid, valid.length);
        badCount[8] = 2; // counts 2 entries, holds 1: checksummed, whole, and wrong
        byte[] bytes = log(badCount, starts);
        checkMidFileDamage(bytes, starts, List.of(4L, 5L), "BAD_BATCH");
    }

    @Test
    void b3SequenceGoesBackwards() throws IOException {
        List<Long> starts = new ArrayList<>();
        byte[] backwards = WriteBatchCodec.INSTANCE.encode(
                new SequencedBatch(1, new WriteBatch().put(new byte[] {3}, new byte[] {3})));
        byte[] bytes = log(backwards, starts);
        checkMidFileDamage(bytes, starts, List.of(4L, 5L), "SEQUENCE_REGRESSION");
    }

    /** B3 damaged with B4, B5 intact after it; {@code skipped} is what SKIP_ANY_CORRUPTED still replays after B3. */
    private static void checkMidFileDamage(byte[] bytes, List<Long> starts, List<Long> skipped, String kind) {
        Replay tolerate = WalFixtures.replay(bytes, bytes.length, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL);
        assertThat(tolerate.error()).isInstanceOfSatisfying(CorruptionException.class, e -> {
            assertThat(e.offset()).isEqualTo(starts.get(2));
            assertThat(e.file()).isEqualTo("000007.log");
            assertThat(e.reason()).startsWith(kind);
        });
        assertThat(sequences(tolerate)).containsExactly(1L, 2L);
        Replay absolute = WalFixtures.replay(bytes, bytes.length, WalRecoveryMode.ABSOLUTE_CONSISTENCY);
        assertThat(absolute.error()).isInstanceOf(CorruptionException.class);
        Replay pointInTime = WalFixtures.replay(bytes, bytes.length, WalRecoveryMode.POINT_IN_TIME);
        assertThat(pointInTime.error()).isNull();
        assertThat(pointInTime.stopped()).isTrue();
        assertThat(sequences(pointInTime)).containsExactly(1L, 2L);
        assertThat(pointInTime.problems()).extracting(p -> p.kind().name()).containsExactly(kind);
        Replay skip = WalFixtures.replay(bytes, bytes.length, WalRecoveryMode.SKIP_ANY_CORRUPTED);
        assertThat(skip.error()).isNull();
        List<Long> expected = new ArrayList<>(List.of(1L, 2L));
        expected.addAll(skipped);
        assertThat(sequences(skip)).containsExactlyElementsOf(expected);
        assertThat(skip.problems()).extracting(p -> p.kind().name()).first().isEqualTo(kind);
    }
}
