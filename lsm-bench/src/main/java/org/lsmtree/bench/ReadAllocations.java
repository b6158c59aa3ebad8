package org.lsmtree.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.DbIterator;
import org.lsmtree.engine.ReadOptions;

/**
 * Bytes the read paths allocate per operation, single-threaded, counted by the JVM
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}): per {@code get} of a present
 * and of a missing key, per seek (iterator made, seeked, one step, closed: what seekrandom does
 * per seek) and per entry of a forward and a backward scan that only walks (no key or value
 * asked for), and per entry of a merge of 12 in-memory sources walked both ways through its views
 * ({@link MergingIteratorBenchmark}'s). Counts, not times, so a loaded machine does not spoil them. The store is filled in
 * a random order as db_bench's fillrandom does and left as its background work settles it, with a
 * block cache of {@code cacheMiB} (256 by default: every block fits; a small one, such as db_bench's
 * 8 MiB at a million keys, shows what block reads that miss the cache allocate). On the default file
 * system the tables are memory-mapped and their uncompressed blocks bypass the cache, so the size
 * matters only for tables that are not mapped; the store's {@code lsm.block-cache} line is printed
 * at the end.
 *
 * <p>Run: {@code java -cp <bench classpath> org.lsmtree.bench.ReadAllocations [keys [cacheMiB]]}
 * (200000 and 256 by default).
 */
public final class ReadAllocations {
    private static final int OPS = 100_000;

    private ReadAllocations() {}

    public static void main(String[] args) throws IOException {
        int num = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long cacheBytes = (args.length > 1 ? Long.parseLong(args[1]) : 256L) << 20;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        try (FilledStore store = new FilledStore(num, cacheBytes)) {
            Db db = store.db();
            System.out.println(db.property("lsm.stats"));
            byte[][] present = store.presentKeys(OPS, 7);
            byte[][] missing = store.missingKeys(OPS, 8);
            Operation getPresent = i -> db.get(present[i]);
            Operation getMissing = i -> db.get(missing[i]);
            Operation seek = i -> {
                try (DbIterator it = db.iterator(ReadOptions.defaults())) {
                    it.seek(present[i]);
                    it.next();
                }
            };
            for (int round = 0; round < 3; round++) { // warm-up rounds, then the one printed
                boolean print = round == 2;
                report(print, "get, present key", measure(threads, self, getPresent), OPS);
                report(print, "get, missing key", measure(threads, self, getMissing), OPS);
                report(print, "iterator + seek + next + close", measure(threads, self, seek), OPS);
                long before = threads.getThreadAllocatedBytes(self);
                long entries = walk(db, true);
                report(print, "forward scan, per entry", threads.getThreadAllocatedBytes(self) - before, entries);
                before = threads.getThreadAllocatedBytes(self);
                entries = walk(db, false);
                report(print, "backward scan, per entry", threads.getThreadAllocatedBytes(self) - before, entries);
            }
            System.out.println(db.property("lsm.block-cache"));
        }
        MergingIteratorBenchmark merge = new MergingIteratorBenchmark();
        merge.sources = 12;
        merge.setUp();
        for (int round = 0; round < 3; round++) {
            long before = threads.getThreadAllocatedBytes(self);
            long entries = merge.walk(true) + merge.walk(false);
            report(round == 2, "merge of 12 sources, per entry", threads.getThreadAllocatedBytes(self) - before, entries);
        }
    }

    private interface Operation {
        void run(int i) throws IOException;
    }

    private static long measure(com.sun.management.ThreadMXBean threads, long self, Operation operation)
            throws IOException {
        long before = threads.getThreadAllocatedBytes(self);
        for (int i = 0; i < OPS; i++) {
            operation.run(i);
        }
        return threads.getThreadAllocatedBytes(self) - before;
    }

    private static long walk(Db db, boolean forward) throws IOException {
        long entries = 0;
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            if (forward) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    entries++;
                }
            } else {
                for (it.seekToLast(); it.isValid(); it.prev()) {
                    entries++;
                }
            }
        }
        return entries;
    }

    private static void report(boolean print, String what, long bytes, long count) {
        if (print) {
            System.out.printf(Locale.ROOT, "%-34s %10.1f bytes/op over %,d%n", what, (double) bytes / count, count);
        }
    }
}
