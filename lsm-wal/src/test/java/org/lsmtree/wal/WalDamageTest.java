package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.testing.Mutation;
import org.lsmtree.wal.WalFixtures.Replay;
import org.lsmtree.wal.WalFixtures.Written;

/**
 * One WAL of a few hundred batches, damaged at every offset (truncation) and in every bit (flip),
 * replayed under each recovery mode: the outcome must be the mode's contract, and no replayed
 * batch may differ from what was written.
 */
class WalDamageTest {
    private static WalFixtures.Wal wal;
    private static byte[][] encoded;
    private static final AtomicLong CASES = new AtomicLong();

    /** 300 small batches around one of 26 KiB, so the log spans two blocks and one batch is fragmented. */
    @BeforeAll
    static void writeWal() throws IOException {
        Random random = new Random(99);
        List<List<Mutation>> batches = new ArrayList<>(WalFixtures.randomBatches(random, 150, 12));
        batches.add(List.of(new Mutation(new byte[] {1}, new byte[26_000])));
        batches.addAll(WalFixtures.randomBatches(random, 150, 12));
        wal = WalFixtures.write(batches);
        encoded = new byte[wal.batches().size()][];
        for (int i = 0; i < encoded.length; i++) {
            Written w = wal.batches().get(i);
            encoded[i] = WriteBatchCodec.INSTANCE.encode(new SequencedBatch(w.sequence(), WalFixtures.batchOf(w.ops())));
        }
        assertThat(wal.bytes().length).isBetween(BLOCK_SIZE + 1, 2 * BLOCK_SIZE);
        Replay clean = WalFixtures.replay(wal.bytes(), wal.bytes().length, WalRecoveryMode.ABSOLUTE_CONSISTENCY);
        assertThat(clean.error()).isNull();
        assertThat(clean.batches()).hasSize(301);
    }

    @Test
    void truncationAtEveryOffsetUnderEveryMode() {
        byte[] bytes = wal.bytes();
        IntStream.rangeClosed(0, bytes.length).parallel().forEach(cut -> {
            Written torn = null;
            for (Written w : wal.batches()) {
                if (w.firstHeader() < cut && cut < w.end()) {
                    torn = w;
                }
            }
            for (WalRecoveryMode mode : WalRecoveryMode.values()) {
                Replay replay = WalFixtures.replay(bytes, cut, mode);
                String context = mode + ", cut at " + cut;
                checkBatches(replay, endingBy(cut), context);
                if (torn == null) {
                    require(replay.error() == null && replay.problems().isEmpty(), replay, context);
                } else if (mode == WalRecoveryMode.ABSOLUTE_CONSISTENCY) {
                    requireError(replay, torn.firstHeader(), context);
                } else {
                    require(replay.error() == null && replay.problems().size() == 1
                            && replay.problems().get(0).kind().isTail()
                            && replay.problems().get(0).offset() == torn.firstHeader(), replay, context);
                }
                CASES.incrementAndGet();
            }
        });
    }

    @Test
    void everyFlippedBitUnderEveryMode() {
        ThreadLocal<byte[]> copies = ThreadLocal.withInitial(() -> wal.bytes().clone());
        long before = CASES.get();
        IntStream.range(0, wal.bytes().length).parallel().forEach(offset -> {
            byte[] bytes = copies.get();
            for (int bit = 0; bit < 8; bit++) {
                bytes[offset] ^= (byte) (1 << bit);
                try {
                    for (WalRecoveryMode mode : WalRecoveryMode.values()) {
                        checkFlip(bytes, offset, mode, WalFixtures.replay(bytes, bytes.length, mode));
                        CASES.incrementAndGet();
                    }
                } finally {
                    bytes[offset] ^= (byte) (1 << bit);
                }
            }
        });
        assertThat(CASES.get() - before).isEqualTo(8L * 4 * wal.bytes().length);
    }

    private static void checkFlip(byte[] bytes, int offset, WalRecoveryMode mode, Replay replay) {
        String context = mode + ", bit flipped at " + offset;
        Written damaged = null;
        for (Written w : wal.batches()) {
            if (w.firstHeader() <= offset && offset < w.end()) {
                damaged = w;
            }
        }
        if (damaged == null) { // a zeroed block trailer: harmless, but it is damage
            if (mode == WalRecoveryMode.ABSOLUTE_CONSISTENCY) {
                requireError(replay, offset / BLOCK_SIZE * BLOCK_SIZE + BLOCK_SIZE - trailerLength(), context);
            } else {
                checkBatches(replay, wal.batches(), context);
                require(replay.error() == null && replay.problems().size() == 1 && !replay.stopped(), replay, context);
            }
            return;
        }
        long fragment = Math.max(damaged.firstHeader(), offset / BLOCK_SIZE * BLOCK_SIZE);
        WalProblem first = replay.problems().isEmpty() ? null : replay.problems().get(0);
        long reported = replay.error() instanceof CorruptionException e ? e.offset() : first == null ? -1 : first.offset();
        boolean tornTail = replay.error() == null && first != null && first.kind().isTail()
                || replay.error() != null && replay.error().getMessage().contains("TORN_TAIL");
        // Damage is reported at its own fragment, and never taken for a crash's torn tail.
        require(reported == fragment && !tornTail, replay, context + ", reported at " + reported);
        boolean garbageTail = replay.error() == null && first != null && first.nothingIntactAfter();
        if (isFinalFragment(damaged, fragment)) {
            // Nothing checksummed follows: the same bytes as garbage a crash left over the end of the
            // log, which the default mode tolerates (a length flipped past the end of the file is still
            // told apart from such garbage by its checksummed prefix, and refused).
            if (mode == WalRecoveryMode.TOLERATE_CORRUPTED_TAIL) {
                require(garbageTail || replay.error() != null && replay.error().getMessage().contains("BAD_LENGTH"),
                        replay, context);
            } else {
                require((replay.error() != null) == (mode == WalRecoveryMode.ABSOLUTE_CONSISTENCY), replay, context);
            }
            checkBatches(replay, endingBy(damaged.firstHeader()), context);
            return;
        }
        require(first == null || !first.nothingIntactAfter(), replay,
                context + ": damage with a checksummed fragment after it is marked as having nothing intact after it");
        switch (mode) {
            case TOLERATE_CORRUPTED_TAIL -> {
                require(replay.error() != null, replay, context);
                checkBatches(replay, endingBy(reported), context);
            }
            case ABSOLUTE_CONSISTENCY -> {
                require(replay.error() != null, replay, context);
                checkBatches(replay, endingBy(reported), context);
            }
            case POINT_IN_TIME -> {
                require(replay.error() == null && replay.stopped(), replay, context);
                checkBatches(replay, endingBy(reported), context);
            }
            case SKIP_ANY_CORRUPTED -> {
                require(replay.error() == null, replay, context);
                long nextBlock = (fragment / BLOCK_SIZE + 1) * BLOCK_SIZE;
                List<Written> kept = new ArrayList<>();
                for (Written w : wal.batches()) {
                    if (w != damaged && (w.end() <= reported || w.firstHeader() >= nextBlock)) {
                        kept.add(w);
                    }
                }
                checkBatches(replay, kept, context);
            }
        }
    }

    /** Whether {@code fragment} of {@code damaged} is the log's last fragment, in its short last block. */
    private static boolean isFinalFragment(Written damaged, long fragment) {
        long length = wal.bytes().length;
        List<Written> batches = wal.batches();
        return damaged == batches.get(batches.size() - 1) && length % BLOCK_SIZE != 0
                && fragment == Math.max(damaged.firstHeader(), (damaged.end() - 1) / BLOCK_SIZE * BLOCK_SIZE);
    }

    private static int trailerLength() {
        long firstBlockEnd = BLOCK_SIZE;
        for (Written w : wal.batches()) {
            if (w.end() <= firstBlockEnd && w.end() > firstBlockEnd - 7) {
                return (int) (firstBlockEnd - w.end());
            }
        }
        return 0;
    }

    private static List<Written> endingBy(long offset) {
        List<Written> ending = new ArrayList<>();
        for (Written w : wal.batches()) {
            if (w.end() <= offset) {
                ending.add(w);
            }
        }
        return ending;
    }

    /** The replayed batches are exactly {@code expected}, byte for byte. */
    private static void checkBatches(Replay replay, List<Written> expected, String context) {
        boolean same = replay.batches().size() == expected.size();
        for (int i = 0; same && i < expected.size(); i++) {
            SequencedBatch read = replay.batches().get(i);
            byte[] want = encoded[expected.get(i).index()];
            byte[] got = read.batch().encodeWithSequence(read.sequence());
            same = read.sequence() == expected.get(i).sequence()
                    && Arrays.equals(got, 0, read.batch().approximateSize(), want, 0, want.length);
        }
        if (!same) {
            assertThat(replay.batches()).as(context + ": " + replay).extracting(SequencedBatch::sequence)
                    .containsExactlyElementsOf(expected.stream().map(Written::sequence).toList());
            throw new AssertionError(context + ": a replayed batch differs from the one written");
        }
    }

    private static void requireError(Replay replay, long offset, String context) {
        require(replay.error() instanceof CorruptionException e && e.offset() == offset
                && e.file().equals("000007.log"), replay, context + ", error expected at " + offset);
    }

    private static void require(boolean condition, Replay replay, String context) {
        if (!condition) {
            throw new AssertionError(context + ": error " + replay.error() + ", problems " + replay.problems()
                    + ", " + replay.batches().size() + " batches");
        }
    }
}
