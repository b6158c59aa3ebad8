package org.lsmtree.wal;

import static org.lsmtree.format.log.LogFormat.BLOCK_SIZE;
import static org.lsmtree.format.log.LogFormat.HEADER_SIZE;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.storage.ByteArrayRandomReadFile;
import org.lsmtree.format.storage.ByteArraySequentialFile;
import org.lsmtree.format.storage.ByteArrayWritableFile;
import org.lsmtree.testing.Mutation;

/** Builds WALs in memory, remembering where each batch's record lies, and replays them. */
final class WalFixtures {
    private WalFixtures() {}

    /** A batch as written: its sequence, operations, and where its record lies. */
    record Written(int index, long sequence, List<Mutation> ops, long firstHeader, long end) {}

    record Wal(byte[] bytes, List<Written> batches) {}

    static List<Mutation> ops(WriteBatch batch) {
        List<Mutation> ops = new ArrayList<>();
        batch.forEach(new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                ops.add(new Mutation(key, value));
            }

            @Override
            public void delete(byte[] key) {
                ops.add(new Mutation(key, null));
            }
        });
        return ops;
    }

    static WriteBatch batchOf(List<Mutation> ops) {
        WriteBatch batch = new WriteBatch();
        for (Mutation op : ops) {
            if (op.isPut()) {
                batch.put(op.key(), op.value());
            } else {
                batch.delete(op.key());
            }
        }
        return batch;
    }

    /** {@code count} random batches of 0 to 5 small operations, sequences consecutive from 1. */
    static List<List<Mutation>> randomBatches(Random random, int count, int maxValue) {
        List<List<Mutation>> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Mutation> ops = new ArrayList<>();
            int n = random.nextInt(6);
            for (int j = 0; j < n; j++) {
                byte[] key = new byte[random.nextInt(12)];
                random.nextBytes(key);
                byte[] value = null;
                if (random.nextInt(4) != 0) {
                    value = new byte[random.nextInt(maxValue + 1)];
                    random.nextBytes(value);
                }
                ops.add(new Mutation(key, value));
            }
            batches.add(ops);
        }
        return batches;
    }

    static Wal write(List<List<Mutation>> batches) throws IOException {
        ByteArrayWritableFile file = new ByteArrayWritableFile();
        List<Written> written = new ArrayList<>();
        long sequence = 1;
        try (WalWriter writer = new WalWriter(file)) {
            for (List<Mutation> ops : batches) {
                long start = writer.position();
                long firstHeader = BLOCK_SIZE - start % BLOCK_SIZE < HEADER_SIZE
                        ? (start / BLOCK_SIZE + 1) * BLOCK_SIZE : start;
                long end = writer.append(sequence, batchOf(ops));
                written.add(new Written(written.size(), sequence, ops, firstHeader, end));
                sequence += ops.size();
            }
        }
        return new Wal(file.toByteArray(), written);
    }

    /** What one replay gave: the batches, the tolerated problems, and the error if one was thrown. */
    record Replay(List<SequencedBatch> batches, List<WalProblem> problems, IOException error, boolean stopped) {}

    /** Replays {@code bytes[0, length)} as {@link WalReader#open} does, from a random-access file. */
    static Replay replay(byte[] bytes, int length, WalRecoveryMode mode) {
        return replay(new WalReader(new ByteArrayRandomReadFile(bytes, length), "000007.log", mode,
                LogFormat.DEFAULT_MAX_RECORD_SIZE));
    }

    /** Replays {@code bytes[0, length)} from a sequential file. */
    static Replay replaySequentially(byte[] bytes, int length, WalRecoveryMode mode) {
        return replay(new WalReader(new ByteArraySequentialFile(bytes, length), "000007.log", mode));
    }

    static Replay replay(WalReader reader) {
        List<SequencedBatch> batches = new ArrayList<>();
        try {
            for (SequencedBatch batch = reader.next(); batch != null; batch = reader.next()) {
                batches.add(batch);
            }
            return new Replay(batches, reader.problems(), null, reader.stoppedAtDamage());
        } catch (IOException e) {
            return new Replay(batches, reader.problems(), e, reader.stoppedAtDamage());
        }
    }
}
