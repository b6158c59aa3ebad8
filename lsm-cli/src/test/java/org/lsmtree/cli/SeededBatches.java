package org.lsmtree.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.ReadOptions;
import org.lsmtree.wal.WriteBatch;

/**
 * The batches of the fault and process-kill workloads: batch {@code index} of a {@code seed} is
 * always the same, so that a parent process knows what a child it killed was writing. Each batch
 * puts or deletes (one in four) 1 to 4 keys of a small key space, with values of 20 to 300 bytes
 * naming the batch, so that tables fill, flush and compact often. A null value is a delete.
 */
final class SeededBatches {
    private SeededBatches() {}

    /** Batch {@code index} of {@code seed} over {@code keys} keys. */
    static Map<String, String> batch(long seed, long index, int keys) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        Map<String, String> batch = new LinkedHashMap<>();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            String key = String.format("k%04d", random.nextInt(keys));
            batch.put(key, random.nextInt(4) == 0 ? null : "v" + index + "-" + key + "-" + "x".repeat(20 + random.nextInt(280)));
        }
        return batch;
    }

    static WriteBatch toWriteBatch(Map<String, String> batch) {
        WriteBatch write = new WriteBatch();
        batch.forEach((key, value) -> {
            if (value == null) {
                write.delete(bytes(key));
            } else {
                write.put(bytes(key), bytes(value));
            }
        });
        return write;
    }

    /** Every key and value the store holds now. */
    static TreeMap<String, String> scan(Db db) throws IOException {
        TreeMap<String, String> seen = new TreeMap<>();
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                seen.put(text(it.key()), text(it.value()));
            }
        }
        return seen;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
