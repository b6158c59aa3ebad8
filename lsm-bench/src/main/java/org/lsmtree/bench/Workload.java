package org.lsmtree.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The workloads, with db_bench's names and meaning. {@code num} is {@code --num}; "random" keys
 * are drawn uniformly from {@code [0, num)} with replacement unless said otherwise.
 */
enum Workload {
    /** num puts in key order into a new store. */
    FILLSEQ(true),
    /** num puts in a random order into a new store, every key once (RocksDB's filluniquerandom). */
    FILLRANDOM(true),
    /** num puts of random keys into the store. */
    OVERWRITE(true),
    /** num/1000 synced puts of random keys into a new store of its own (the reads keep theirs). */
    FILLSYNC(true),
    /** As fillsync, the same number of puts shared by 16 threads: group commit shows here. */
    FILLSYNC16(true),
    /** num gets of random keys. */
    READRANDOM(false),
    /** num gets of keys that are never written (a present key with '.' appended). */
    READMISSING(false),
    /** num gets of random keys among the first 1% of the key range. */
    READHOT(false),
    /** One forward scan of the whole store. */
    READSEQ(false),
    /** One backward scan of the whole store. */
    READREVERSE(false),
    /** num seeks to random keys, each reading the 10 entries from there (--seek_nexts=10). */
    SEEKRANDOM(false),
    /** num deletes of random keys (about 63% of the keys go). */
    DELETERANDOM(true),
    /** Random gets on every core but one while one thread puts random keys until they finish. */
    READWHILEWRITING(false),
    /** Compacts the whole key range (one operation). */
    COMPACT(true);

    /** db_bench's names, in the order a default run takes them. */
    static final String DEFAULT_LIST = "fillseq,fillrandom,overwrite,fillsync,fillsync16,readrandom,readmissing,"
            + "readhot,readseq,readreverse,seekrandom,deleterandom,readwhilewriting,compact,readrandom";

    /** Whether the workload writes (the runner then settles the engine and measures amplification). */
    final boolean writes;

    Workload(boolean writes) {
        this.writes = writes;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether it starts from an empty store of its own. */
    boolean fresh() {
        return this == FILLSEQ || this == FILLRANDOM || this == FILLSYNC || this == FILLSYNC16;
    }

    static Workload of(String label) {
        for (Workload workload : values()) {
            if (workload.label().equals(label.trim())) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown benchmark '" + label + "' (known: "
                + Arrays.stream(values()).map(Workload::label).collect(Collectors.joining(",")) + ")");
    }

    /** The comma-separated list of --benchmarks, in order; a name may come more than once. */
    static List<Workload> parseList(String list) {
        List<Workload> workloads = new ArrayList<>();
        for (String label : list.split(",")) {
            if (!label.isBlank()) {
                workloads.add(of(label));
            }
        }
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("--benchmarks names no workload");
        }
        return workloads;
    }
}
