package org.lsmtree.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Random;

/**
 * Runs workloads, in order, on one engine, in the engine's own JVM, and keeps a model of what the
 * store must hold (a bit per key) so that every read is checked: a get must find exactly the live
 * keys it asked for, a scan must see every live entry, a seek must land on a live key and read the
 * entries that follow it. A mismatch is an {@link IllegalStateException} naming engine, workload
 * and both counts: a store that loses or invents data never gets a figure.
 *
 * <p>Every random choice comes from {@link #random(int, int)}, which depends only on the seed, the
 * step and the thread, so every engine is given the same keys in the same order; the model is
 * brought up to date after the timed part by drawing the same numbers again. A write workload is
 * followed (untimed) by {@link BenchEngine#settle()}, so background work it caused is counted in
 * its write amplification and does not run into the next workload. Not thread-safe.
 */
final class WorkloadRunner implements AutoCloseable {
    private final String label;
    private final Opener opener;
    private final BenchSettings settings;
    private final KeySpace keys;
    private final Path root;
    private final Path mainDirectory;
    private BitSet live = new BitSet();
    private BenchEngine engine;

    /** Opens the engine (a new store when the directory is empty). */
    interface Opener {
        BenchEngine open(Path directory) throws IOException;
    }

    /** Runs in root, which must be a directory of this engine's alone. */
    WorkloadRunner(EngineKind kind, BenchSettings settings, Path root) {
        this(kind.label, directory -> kind.open(directory, settings), settings, root);
    }

    WorkloadRunner(String label, Opener opener, BenchSettings settings, Path root) {
        this.label = label;
        this.opener = opener;
        this.settings = settings;
        this.keys = settings.keySpace();
        this.root = root;
        this.mainDirectory = root.resolve("db");
    }

    Measurement run(int step, Workload workload) throws Exception {
        try {
            return switch (workload) {
                case FILLSEQ, FILLRANDOM -> fillMain(step, workload);
                case OVERWRITE -> write(step, workload, main(), live, mainDirectory, 1, settings.num(), false,
                        (thread, random, i) -> random.nextInt(settings.num()));
                case FILLSYNC -> fillSync(step, workload, 1);
                case FILLSYNC16 -> fillSync(step, workload, BenchSettings.SYNC_WRITERS);
                case READRANDOM, READMISSING, READHOT -> read(step, workload);
                case READSEQ, READREVERSE -> scan(step, workload);
                case SEEKRANDOM -> seek(step);
                case DELETERANDOM -> delete(step);
                case READWHILEWRITING -> ReadWhileWriting.run(this, step);
                case COMPACT -> compact(step);
            };
        } catch (UnsupportedOperationException e) {
            return Measurement.unsupported(step, workload, label, e.getMessage() != null ? e.getMessage()
                    : "the engine cannot do it (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            if (label.equals(EngineKind.LSMTREE.label)) {
                throw e; // ours failing is never a table entry: the run fails
            }
            // A peer's own failure (iq80 0.12 loses tables under readwhilewriting now and then) is shown, not fatal.
            System.err.println(label + " failed in " + workload.label() + ": " + e);
            return Measurement.failed(step, workload, label, String.valueOf(e.getMessage()));
        }
    }

    /** Picks the key of the i-th operation of a thread. */
    interface KeyPicker {
        int pick(int thread, Random random, int i);
    }

    private Measurement fillMain(int step, Workload workload) throws Exception {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        DiskUsage.delete(mainDirectory);
        live = new BitSet();
        int[] order = workload == Workload.FILLRANDOM ? permutation(random(step, 0), settings.num()) : null;
        return write(step, workload, main(), live, mainDirectory, 1, settings.num(), false,
                (thread, random, i) -> order == null ? i : order[i]);
    }

    private Measurement fillSync(int step, Workload workload, int threads) throws Exception {
        Path directory = root.resolve("sync");
        DiskUsage.delete(directory);
        long ops = Math.max(threads, settings.num() / 1000);
        try (BenchEngine side = opener.open(directory)) {
            return write(step, workload, side, new BitSet(), directory, threads, ops, true,
                    (thread, random, i) -> random.nextInt(settings.num()));
        } finally {
            DiskUsage.delete(directory);
        }
    }

    private Measurement write(int step, Workload workload, BenchEngine target, BitSet model, Path directory,
            int threads, long ops, boolean sync, KeyPicker picker) throws Exception {
        long writtenBefore = DiskUsage.processWriteBytes();
        ParallelOps.Outcome outcome = ParallelOps.run(threads, 0, (thread, counts) -> {
            Random random = random(step, thread);
            int share = ParallelOps.share(ops, threads, thread);
            for (int i = 0; i < share; i++) {
                target.put(keys.key(picker.pick(thread, random, i)), keys.value((long) thread << 32 | i), sync);
            }
        });
        target.settle();
        long written = DiskUsage.processWriteBytes() - writtenBefore;
        for (int thread = 0; thread < threads; thread++) {
            Random random = random(step, thread);
            int share = ParallelOps.share(ops, threads, thread);
            for (int i = 0; i < share; i++) {
                model.set(picker.pick(thread, random, i));
            }
        }
        long userBytes = ops * keys.entryBytes();
        return new Measurement(step, workload.label(), label, ops, outcome.nanos(), userBytes, null, null,
                null, writtenBefore < 0 ? null : (double) written / userBytes, spaceAmplification(directory, model),
                null);
    }

    private Measurement delete(int step) throws Exception {
        BenchEngine target = main();
        long writtenBefore = DiskUsage.processWriteBytes();
        int num = settings.num();
        ParallelOps.Outcome outcome = ParallelOps.run(1, 0, (thread, counts) -> {
            Random random = random(step, thread);
            for (int i = 0; i < num; i++) {
                target.delete(keys.key(random.nextInt(num)));
            }
        });
        target.settle();
        long written = DiskUsage.processWriteBytes() - writtenBefore;
        Random random = random(step, 0);
        for (int i = 0; i < num; i++) {
            live.clear(random.nextInt(num));
        }
        long userBytes = (long) num * keys.keySize();
        return new Measurement(step, Workload.DELETERANDOM.label(), label, num, outcome.nanos(), userBytes,
                null, null, null, writtenBefore < 0 ? null : (double) written / userBytes,
                spaceAmplification(mainDirectory, live), null);
    }

    private Measurement read(int step, Workload workload) throws Exception {
        BenchEngine target = main();
        int threads = settings.threads();
        int range = workload == Workload.READHOT ? (settings.num() + 99) / 100 : settings.num();
        ParallelOps.Outcome outcome = ParallelOps.run(threads, 2, (thread, counts) -> {
            Random random = random(step, thread);
            int share = ParallelOps.share(settings.num(), threads, thread);
            for (int i = 0; i < share; i++) {
                int k = random.nextInt(range);
                byte[] value = target.get(workload == Workload.READMISSING ? keys.missingKey(k) : keys.key(k));
                if (value != null) {
                    counts[0]++;
                    counts[1] += keys.keySize() + value.length;
                }
            }
        });
        long expected = 0;
        for (int thread = 0; thread < threads; thread++) {
            Random random = random(step, thread);
            int share = ParallelOps.share(settings.num(), threads, thread);
            for (int i = 0; i < share; i++) {
                int k = random.nextInt(range);
                expected += workload != Workload.READMISSING && live.get(k) ? 1 : 0;
            }
        }
        long found = outcome.counts()[0];
        check(found == expected, workload, "found " + found + " keys, expected " + expected);
        return new Measurement(step, workload.label(), label, settings.num(), outcome.nanos(),
                outcome.counts()[1], found, expected, null, null, null, null);
    }

    private Measurement scan(int step, Workload workload) throws Exception {
        BenchEngine target = main();
        long start = System.nanoTime();
        long seen = workload == Workload.READSEQ ? target.scanForward() : target.scanReverse();
        long nanos = System.nanoTime() - start;
        long expected = live.cardinality();
        check(seen == expected, workload, "saw " + seen + " entries, expected " + expected);
        return new Measurement(step, workload.label(), label, seen, nanos, seen * keys.entryBytes(), null,
                null, seen, null, null, null);
    }

    private Measurement seek(int step) throws Exception {
        BenchEngine target = main();
        int threads = settings.threads();
        int num = settings.num();
        ParallelOps.Outcome outcome = ParallelOps.run(threads, 2, (thread, counts) -> {
            Random random = random(step, thread);
            int share = ParallelOps.share(num, threads, thread);
            try (BenchEngine.Cursor cursor = target.cursor()) {
                for (int i = 0; i < share; i++) {
                    if (cursor.seek(keys.key(random.nextInt(num)))) {
                        counts[0]++;
                    }
                    counts[1] += cursor.read(BenchSettings.SEEK_NEXTS);
                }
            }
        });
        long expectedFound = 0;
        long expectedEntries = 0;
        for (int thread = 0; thread < threads; thread++) {
            Random random = random(step, thread);
            int share = ParallelOps.share(num, threads, thread);
            for (int i = 0; i < share; i++) {
                int k = random.nextInt(num);
                expectedFound += live.get(k) ? 1 : 0;
                for (int n = 0, at = live.nextSetBit(k); n < BenchSettings.SEEK_NEXTS && at >= 0;
                        n++, at = live.nextSetBit(at + 1)) {
                    expectedEntries++;
                }
            }
        }
        long found = outcome.counts()[0];
        long entries = outcome.counts()[1];
        check(found == expectedFound && entries == expectedEntries, Workload.SEEKRANDOM, "landed on " + found
                + " keys and read " + entries + " entries, expected " + expectedFound + " and " + expectedEntries);
        return new Measurement(step, Workload.SEEKRANDOM.label(), label, num, outcome.nanos(),
                entries * keys.entryBytes(), found, expectedFound, entries, null, null, null);
    }

    private Measurement compact(int step) throws Exception {
        BenchEngine target = main();
        long writtenBefore = DiskUsage.processWriteBytes();
        long start = System.nanoTime();
        target.compactAll();
        long nanos = System.nanoTime() - start;
        target.settle();
        long written = DiskUsage.processWriteBytes() - writtenBefore;
        long liveBytes = live.cardinality() * keys.entryBytes();
        return new Measurement(step, Workload.COMPACT.label(), label, 1, nanos, written, null, null, null,
                writtenBefore < 0 || liveBytes == 0 ? null : (double) written / liveBytes,
                spaceAmplification(mainDirectory, live), null);
    }

    BenchEngine main() throws IOException {
        if (engine == null) {
            engine = opener.open(mainDirectory);
        }
        return engine;
    }

    BitSet live() {
        return live;
    }

    KeySpace keys() {
        return keys;
    }

    BenchSettings settings() {
        return settings;
    }

    String label() {
        return label;
    }

    /** The random numbers of one thread of one step: the same for every engine. */
    Random random(int step, int thread) {
        return new Random(settings.seed() * 1_000_003L + step * 1_009L + thread);
    }

    void check(boolean ok, Workload workload, String what) {
        if (!ok) {
            throw new IllegalStateException(label + " " + workload.label() + ": " + what);
        }
    }

    private Double spaceAmplification(Path directory, BitSet model) throws IOException {
        long liveBytes = model.cardinality() * keys.entryBytes();
        return liveBytes == 0 ? null : (double) DiskUsage.directoryBytes(directory) / liveBytes;
    }

    private static int[] permutation(Random random, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    @Override
    public void close() throws IOException {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
