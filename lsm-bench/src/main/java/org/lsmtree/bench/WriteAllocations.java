package org.lsmtree.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Bytes the writer thread allocates per {@code put} of a single-writer, unsynced fill, counted by
 * the JVM ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}): {@code keys} puts of
 * 16 + 100 bytes ({@link KeySpace}) into a fresh store of the benchmark's shape
 * ({@link LsmTreeEngine}: 4 MiB write buffer) in a temporary directory of the default file system,
 * so the WAL is memory-mapped, as fillseq (keys in order) and fillrandom (a seeded shuffle) write
 * them. The caller writes each key and value into arrays it reuses (the store copies what it
 * keeps), so the count holds what the store allocates (the batch of each put included) and
 * nothing of the caller's. A count, not a time: a loaded
 * machine does not spoil it. Background flushes and compactions run on their own threads and are
 * not counted, unless a stalled writer runs one itself.
 *
 * <p>Run: {@code java -cp <bench classpath> org.lsmtree.bench.WriteAllocations [keys [rounds [seq|random|both]]]}
 * (300000, 3 and both by default; the last round is printed). Under
 * {@code -XX:StartFlightRecording=filename=fill.jfr,settings=profile} it is also the small program
 * whose profile shows where the writer's CPU goes.
 */
public final class WriteAllocations {
    private WriteAllocations() {}

    public static void main(String[] args) throws IOException {
        int num = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String which = args.length > 2 ? args[2] : "both";
        KeySpace space = new KeySpace(16, 100, 301);
        int[] inOrder = new int[num];
        for (int i = 0; i < num; i++) {
            inOrder[i] = i;
        }
        int[] shuffled = KeySpace.shuffledIndexes(num, 301);
        for (int round = 0; round < rounds; round++) {
            boolean print = round == rounds - 1;
            if (!which.equals("random")) {
                report(print, "fillseq, per put", fill(space, inOrder), num);
            }
            if (!which.equals("seq")) {
                report(print, "fillrandom, per put", fill(space, shuffled), num);
            }
        }
    }

    /** Puts the keys of {@code order} into a new store; returns the bytes the calling thread allocated meanwhile. */
    /** The writer thread's CPU time in the last {@link #fill}: a hint for whoever profiles, no benchmark figure. */
    private static long cpuNanos;

    private static long fill(KeySpace space, int[] order) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        Path directory = Files.createTempDirectory("lsm-write-probe");
        try {
            long allocated;
            try (LsmTreeEngine engine = new LsmTreeEngine(directory, BenchSettings.BLOCK_CACHE_BYTES)) {
                byte[] key = new byte[space.keySize()];
                byte[] value = new byte[space.valueSize()];
                long cpuBefore = threads.getCurrentThreadCpuTime();
                long before = threads.getThreadAllocatedBytes(self);
                for (int i = 0; i < order.length; i++) {
                    space.keyInto(order[i], key); // the store copies what it keeps: the arrays can be reused
                    space.valueInto(i, value);
                    engine.put(key, value, false);
                }
                allocated = threads.getThreadAllocatedBytes(self) - before;
                cpuNanos = threads.getCurrentThreadCpuTime() - cpuBefore;
            }
            return allocated;
        } finally {
            DiskUsage.delete(directory);
        }
    }

    private static void report(boolean print, String what, long bytes, long count) {
        if (print) {
            System.out.printf(Locale.ROOT, "%-34s %10.1f bytes/op over %,d (writer CPU %.0f ns/op, indicative only)%n",
                    what, (double) bytes / count, count, (double) cpuNanos / count);
        }
    }
}
