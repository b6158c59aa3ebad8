package org.lsmtree.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.WriteOptions;

/**
 * The live heap after a fill and a read of a store under its default budgets: {@code keys} random
 * puts of db_bench's shape (16-byte keys {@code %016d} drawn with replacement, 100-byte values,
 * unsynced), a {@code get} of every key of the range, three {@code System.gc()} calls, and then
 * the heap in use beside the store's own memory figures and its budgets (two memtables of the
 * write-buffer size, the block cache). A measure of memory, not of time: it may run anywhere.
 *
 * <p>Run: {@code java -Xmx1g -cp <bench classpath> org.lsmtree.bench.HeapAfterFill [keys]}
 * (1000000 by default; the store goes to a temporary directory, deleted afterwards).
 */
public final class HeapAfterFill {
    private HeapAfterFill() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path directory = Files.createTempDirectory("lsm-heap-after-fill");
        Options options = Options.defaults();
        KeySpace space = new KeySpace(16, 100, 301);
        try (Db db = Db.open(directory, options)) {
            Random random = new Random(301);
            for (int i = 0; i < keys; i++) {
                db.put(space.key(random.nextInt(keys)), space.value(i), WriteOptions.noSync());
            }
            long found = 0;
            for (int i = 0; i < keys; i++) {
                if (db.get(space.key(i)) != null) {
                    found++;
                }
            }
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("%d puts, %d distinct keys found%n", keys, found);
            System.out.printf("live heap after GC: %,d bytes%n", live);
            System.out.printf("budgets: write buffer %,d bytes (two memtables at most), block cache %,d bytes%n",
                    options.writeBufferSize(), options.blockCacheSize());
            System.out.println("lsm.approximate-memory-usage: " + db.property("lsm.approximate-memory-usage"));
            System.out.println(db.property("lsm.block-cache"));
        } finally {
            DiskUsage.delete(directory);
        }
    }
}
