package org.lsmtree.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What every engine in a run is given: the workload shape from the flags, and the engine knobs
 * that are the same for all of them (db_bench's shape with LevelDB's sizes). The header of every
 * run prints {@link #describe()}, so a figure always travels with the settings that produced it.
 *
 * @param num keys in the store (db_bench's --num)
 * @param valueSize bytes per value
 * @param keySize bytes per key
 * @param threads threads of the read workloads (their operations are split among them)
 * @param seed the one seed of every key order and value
 */
record BenchSettings(int num, int valueSize, int keySize, int threads, long seed) {
    static final long WRITE_BUFFER_BYTES = 4L << 20;
    static final int BLOCK_BYTES = 4096;
    static final int BLOOM_BITS_PER_KEY = 10;
    static final long BLOCK_CACHE_BYTES = 8L << 20;
    static final long L1_TARGET_BYTES = 10L << 20;
    static final long FILE_BYTES = 2L << 20;
    /** db_bench's --seek_nexts for seekrandom. */
    static final int SEEK_NEXTS = 10;
    /** Threads of fillsync16. */
    static final int SYNC_WRITERS = 16;

    BenchSettings {
        if (num < 1) {
            throw new IllegalArgumentException("--num must be at least 1, got " + num);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
    }

    KeySpace keySpace() {
        return new KeySpace(keySize, valueSize, seed);
    }

    /** Readers of readwhilewriting: every core but the writer's, or --threads when larger. */
    int readersWhileWriting() {
        return Math.max(threads, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    /** Lines saying what every engine was given. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "keys: %,d x %d bytes (%%0%dd), values: %d bytes, seed %d (same key "
                + "order and values for every engine)", num, keySize, keySize, valueSize, seed));
        lines.add(String.format(Locale.ROOT, "every engine: write buffer %d MiB, block %d KiB, bloom %d bits/key, "
                + "block cache %d MiB, compression off, WAL on, writes not synced (fillsync, fillsync16: synced), "
                + "L1 target %d MiB, %d MiB files", WRITE_BUFFER_BYTES >> 20, BLOCK_BYTES >> 10, BLOOM_BITS_PER_KEY,
                BLOCK_CACHE_BYTES >> 20, L1_TARGET_BYTES >> 20, FILE_BYTES >> 20));
        lines.add(String.format(Locale.ROOT, "threads: %d per read workload (operations split among them), "
                + "readwhilewriting %d reader(s) + 1 writer, fillsync16 %d writers; seekrandom reads %d entries "
                + "per seek", threads, readersWhileWriting(), SYNC_WRITERS, SEEK_NEXTS));
        return lines;
    }

    /** The arguments that give the same settings to a forked engine JVM. */
    List<String> asArguments() {
        return List.of("--num", Integer.toString(num), "--value_size", Integer.toString(valueSize),
                "--key_size", Integer.toString(keySize), "--threads", Integer.toString(threads),
                "--seed", Long.toString(seed));
    }
}
