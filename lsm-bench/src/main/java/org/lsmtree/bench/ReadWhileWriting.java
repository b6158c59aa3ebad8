package org.lsmtree.bench;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * db_bench's readwhilewriting: readers on every core but one do num random gets between them
 * while one more thread puts random keys (not synced) until the last reader is done. Only the
 * gets are counted. A reader must find at least the keys that were live before the writer began
 * (the writer only adds), and the keys the writer put are live afterwards.
 */
final class ReadWhileWriting {
    private ReadWhileWriting() {}

    static Measurement run(WorkloadRunner runner, int step) throws Exception {
        BenchEngine target = runner.main();
        BenchSettings settings = runner.settings();
        KeySpace keys = runner.keys();
        int readers = settings.readersWhileWriting();
        int num = settings.num();
        AtomicInteger readersLeft = new AtomicInteger(readers);
        int[][] written = new int[1][];
        ParallelOps.Outcome outcome = ParallelOps.run(readers + 1, 3, (thread, counts) -> {
            Random random = runner.random(step, thread);
            if (thread == readers) {
                int[] puts = new int[1024];
                int count = 0;
                while (readersLeft.get() > 0) {
                    int k = random.nextInt(num);
                    target.put(keys.key(k), keys.value(count), false);
                    if (count == puts.length) {
                        puts = Arrays.copyOf(puts, count * 2);
                    }
                    puts[count++] = k;
                }
                written[0] = Arrays.copyOf(puts, count);
                counts[2] = count;
                return;
            }
            try {
                int share = ParallelOps.share(num, readers, thread);
                for (int i = 0; i < share; i++) {
                    byte[] value = target.get(keys.key(random.nextInt(num)));
                    if (value != null) {
                        counts[0]++;
                        counts[1] += keys.keySize() + value.length;
                    }
                }
            } finally {
                readersLeft.decrementAndGet();
            }
        });
        target.settle();
        BitSet live = runner.live();
        long atLeast = 0;
        for (int thread = 0; thread < readers; thread++) {
            Random random = runner.random(step, thread);
            int share = ParallelOps.share(num, readers, thread);
            for (int i = 0; i < share; i++) {
                atLeast += live.get(random.nextInt(num)) ? 1 : 0;
            }
        }
        long found = outcome.counts()[0];
        runner.check(found >= atLeast && found <= num, Workload.READWHILEWRITING,
                "found " + found + " keys, expected at least " + atLeast);
        for (int k : written[0]) {
            live.set(k);
        }
        return new Measurement(step, Workload.READWHILEWRITING.label(), runner.label(), num, outcome.nanos(),
                outcome.counts()[1], found, atLeast, null, null, null, null);
    }
}
