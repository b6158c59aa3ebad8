package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lsmtree.testing.CrashSimulatingStorage;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.SeededRandom;
import org.lsmtree.wal.WriteBatch;

/**
 * A seeded workload of the crash suites, run on one thread against a store in {@code /db} of a
 * {@link CrashSimulatingStorage}: synced and unsynced writes (single puts, deletes, batches that
 * mix both), background work run by a seeded {@link ManualExecutor} at chosen points, manual
 * flushes and a manual compaction, and a close and reopen halfway. The options are small (a
 * 1 KiB write buffer, level 0 compacted at 2 files, small levels, a MANIFEST replaced past
 * 384 bytes) so that a few dozen writes rotate the WAL and the MANIFEST, flush and compact.
 *
 * <p>Two shapes: {@link Shape#RANDOM_KEYS} (writes all over a small key space: overlapping
 * tables, merging compactions, deletes of live keys) and {@link Shape#ASCENDING_KEYS} (each
 * write's keys, deleted ones too, past every key before: tables that do not overlap, which
 * compaction moves down a level without rewriting them, a trivial move). Every workload has
 * batches, deletes, synced and unsynced writes by construction; where the background work
 * runs, which keys and values, and most writes' sync flag are drawn from the seed.
 */
final class CrashWorkload {
    enum Shape { RANDOM_KEYS, ASCENDING_KEYS }

    private enum Kind { WRITE, BACKGROUND, FLUSH, COMPACT, REOPEN }

    private record Step(Kind kind, Map<String, String> batch, boolean sync) {}

    /** What a run did, counted from the store's statistics and the storage's operations. */
    record Events(long walRotations, long flushes, long backgroundCompactions, long trivialMoves,
            long manifestRotations, long reopens, long syncedWrites, long unsyncedWrites, long batches, long deletes,
            long operations, long walPrefixSyncs) {
        Events plus(Events other) {
            return new Events(walRotations + other.walRotations, flushes + other.flushes,
                    backgroundCompactions + other.backgroundCompactions, trivialMoves + other.trivialMoves,
                    manifestRotations + other.manifestRotations, reopens + other.reopens,
                    syncedWrites + other.syncedWrites, unsyncedWrites + other.unsyncedWrites, batches + other.batches,
                    deletes + other.deletes, operations + other.operations, walPrefixSyncs + other.walPrefixSyncs);
        }

        static Events none() {
            return new Events(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    /** The store's directory on the storage. */
    static final String DIRECTORY = "/db";

    private final String name;
    private final long seed;
    private final List<Step> steps;

    private CrashWorkload(String name, long seed, List<Step> steps) {
        this.name = name;
        this.seed = seed;
        this.steps = steps;
    }

    /** The workload of {@code shape} drawn from {@code seed}; the same seed gives the same workload. */
    static CrashWorkload generate(Shape shape, long seed) {
        SeededRandom random = new SeededRandom(seed);
        List<Step> steps = new ArrayList<>();
        int writes = 40;
        int next = 0; // ascending: the next key number to write
        for (int i = 0; i < writes; i++) {
            if (i == writes / 2) {
                steps.add(new Step(Kind.REOPEN, null, false));
            }
            if (i == 8 || i == 22) {
                steps.add(new Step(Kind.FLUSH, null, false));
            }
            if (i == 26 && shape == Shape.RANDOM_KEYS) {
                steps.add(new Step(Kind.COMPACT, null, false));
            }
            // Every workload has batches (every third write), deletes (every fifth write begins with
            // one) and both kinds of writes (every fourth synced, the next one not); the rest is random.
            Map<String, String> batch = new LinkedHashMap<>();
            int entries = i % 3 == 1 || random.oneIn(4) ? random.intBetween(2, 4) : 1;
            for (int e = 0; e < entries; e++) {
                boolean delete = e == 0 && i % 5 == 2 || shape == Shape.RANDOM_KEYS && random.oneIn(5);
                String key;
                if (shape == Shape.RANDOM_KEYS) {
                    key = String.format("k%02d", random.nextInt(24));
                } else { // past every key so far, deletes too (of a key never written: tables stay disjoint)
                    key = String.format("a%04d", next++);
                }
                batch.put(key, delete ? null : ExpectedState.value(i, key, random.intBetween(40, 260)));
            }
            boolean sync = i % 4 == 0 || i % 4 != 1 && random.oneIn(2);
            steps.add(new Step(Kind.WRITE, batch, sync));
            if (random.oneIn(2)) {
                steps.add(new Step(Kind.BACKGROUND, null, false));
            }
        }
        steps.add(new Step(Kind.BACKGROUND, null, true)); // everything due runs before the end
        return new CrashWorkload(shape.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " #" + seed,
                seed, steps);
    }

    String name() {
        return name;
    }

    long seed() {
        return seed;
    }

    /** The options the workload's store runs with, on {@code storage} with {@code background} work. */
    static Options options(CrashSimulatingStorage storage, ManualExecutor background) {
        return Options.defaults().withStorage(storage).withBackgroundExecutor(background).withWriteBufferSize(1024)
                .withLevelZeroTriggers(2, 8, 12).withTargetFileSize(2048).withLevelSizes(4096, 2)
                .withMaxManifestBytes(384).withBlockSize(256).withWalBytesPerSync(128); // a few background syncs per WAL
    }

    /**
     * Runs the workload on {@code storage} (a store created in {@code /db}), recording each write
     * in {@code oracle} as it is issued and acknowledged; returns what happened.
     */
    Events run(CrashSimulatingStorage storage, ExpectedState oracle) throws IOException {
        ManualExecutor background = new ManualExecutor(seed);
        Options options = options(storage, background);
        Path dir = storage.path(DIRECTORY);
        List<long[]> opens = new ArrayList<>(); // operation ranges of the opens
        Counts counts = new Counts();
        Db db = open(dir, options, storage, opens);
        try {
            for (Step step : steps) {
                switch (step.kind()) {
                    case WRITE -> write(db, step, oracle, counts);
                    case BACKGROUND -> {
                        if (step.sync()) {
                            background.runAll();
                        } else {
                            background.runSomeAtRandom();
                        }
                    }
                    case FLUSH -> db.flush();
                    case COMPACT -> {
                        CompactionStats stats = db.core().internals().compactionStats();
                        long before = merges(stats);
                        db.compactRange(null, null);
                        counts.manualCompactions += merges(stats) - before;
                    }
                    case REOPEN -> {
                        counts.add(db);
                        db.close();
                        db = open(dir, options, storage, opens);
                        oracle.allDurable();
                        counts.reopens++;
                    }
                    default -> throw new AssertionError(step);
                }
            }
            counts.add(db);
        } finally {
            db.close();
        }
        return counts.events(storage, opens);
    }

    private static Db open(Path dir, Options options, CrashSimulatingStorage storage, List<long[]> opens)
            throws IOException {
        long start = storage.operationCount();
        Db db = Db.open(dir, options);
        opens.add(new long[] {start, storage.operationCount()});
        return db;
    }

    private static void write(Db db, Step step, ExpectedState oracle, Counts counts) throws IOException {
        WriteBatch batch = new WriteBatch();
        step.batch().forEach((key, value) -> {
            if (value == null) {
                batch.delete(DbOpenAndWriteTest.b(key));
                counts.deletes++;
            } else {
                batch.put(DbOpenAndWriteTest.b(key), DbOpenAndWriteTest.b(value));
            }
        });
        oracle.issue(step.batch());
        db.write(batch, step.sync() ? WriteOptions.sync() : WriteOptions.noSync());
        oracle.acknowledge(step.sync());
        counts.batches += step.batch().size() > 1 ? 1 : 0;
        if (step.sync()) {
            counts.synced++;
        } else {
            counts.unsynced++;
        }
    }

    private static long merges(CompactionStats stats) {
        long moves = 0;
        for (int level = 0; level < org.lsmtree.manifest.ManifestFormat.NUM_LEVELS; level++) {
            moves += stats.moves(level);
        }
        return stats.compactions() + moves;
    }

    /** Counters of one run, summed over the store's opens (its statistics start at 0 at each open). */
    private static final class Counts {
        long flushes;
        long compactions;
        long manualCompactions;
        long moves;
        long reopens;
        long synced;
        long unsynced;
        long batches;
        long deletes;

        void add(Db db) {
            CompactionStats stats = db.core().internals().compactionStats();
            flushes += stats.flushes();
            compactions += merges(stats);
            for (int level = 0; level < org.lsmtree.manifest.ManifestFormat.NUM_LEVELS; level++) {
                moves += stats.moves(level);
            }
        }

        /** The events, with the WALs and MANIFESTs created outside the opens counted as rotations. */
        Events events(CrashSimulatingStorage storage, List<long[]> opens) {
            long walRotations = 0;
            long manifestRotations = 0;
            long walPrefixSyncs = 0;
            for (String line : storage.operationLog()) { // "#<n> CREATE <path>"
                String[] parts = line.split(" ");
                walPrefixSyncs += parts[1].equals("SYNC_PREFIX") ? 1 : 0;
                long number = Long.parseLong(parts[0].substring(1));
                boolean inOpen = opens.stream().anyMatch(range -> number > range[0] && number <= range[1]);
                if (inOpen || !parts[1].equals("CREATE")) {
                    continue;
                }
                String file = parts[2].substring(parts[2].lastIndexOf('/') + 1);
                walRotations += file.endsWith(".log") ? 1 : 0;
                manifestRotations += file.startsWith("MANIFEST-") ? 1 : 0;
            }
            return new Events(walRotations, flushes, compactions - manualCompactions, moves, manifestRotations,
                    reopens, synced, unsynced, batches, deletes, storage.operationCount(), walPrefixSyncs);
        }
    }
}
