package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.testing.SeededCases;

/**
 * One writer fills a memtable while readers look keys up and walk iterators both ways: a reader
 * finds every entry published before its lookup began, every entry it meets is whole (its value
 * is a function of its key and sequence, so a torn or half-published node shows), and walks never
 * break the order. Seeded (the seed is printed; {@code -Dlsm.seed=S} replays the writer's
 * sequence of keys, though the interleaving is the scheduler's; {@code -Dlsm.cases.multiplier=N}
 * runs N rounds).
 */
class MemTableConcurrencyTest {
    private static final InternalKeyComparator ORDER = new InternalKeyComparator(BytewiseComparator.INSTANCE);
    private static final int ENTRIES = 30_000;
    private static final int READERS = 3;

    @Test
    void readersAndIteratorsSeeWholeEntriesInOrderWhileOneWriterAdds() {
        // one round by default; -Dlsm.cases.multiplier=N (the soak profile) runs N
        SeededCases.check(1, random -> fillWhileReading(random.seed()));
    }

    private static void fillWhileReading(long seed) throws Exception {
        System.out.println("MemTableConcurrencyTest seed " + seed + " (replay with -Dlsm.seed=" + seed + ")");
        MemTable table = new MemTable(ORDER);
        byte[][] keys = new byte[ENTRIES + 1][];
        SplittableRandom keysRandom = new SplittableRandom(seed);
        for (int sequence = 1; sequence <= ENTRIES; sequence++) {
            keys[sequence] = String.format("k%06d", keysRandom.nextInt(ENTRIES / 3)).getBytes(StandardCharsets.US_ASCII);
        }
        int[] nextOfKey = new int[ENTRIES + 1]; // the next sequence of the same key, or 0
        java.util.Map<String, Integer> lastOfKey = new java.util.HashMap<>();
        for (int sequence = 1; sequence <= ENTRIES; sequence++) {
            Integer previous = lastOfKey.put(new String(keys[sequence], StandardCharsets.US_ASCII), sequence);
            if (previous != null) {
                nextOfKey[previous] = sequence;
            }
        }
        java.util.concurrent.atomic.AtomicLong publishedSequence = new java.util.concurrent.atomic.AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        try {
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                long readerSeed = seed + r + 1;
                readers.add(pool.submit(() -> read(table, keys, nextOfKey, publishedSequence, done, readerSeed)));
            }
            Future<?> writer = pool.submit(() -> {
                for (int sequence = 1; sequence <= ENTRIES; sequence++) {
                    table.add(sequence, sequence % 7 == 0 ? ValueType.DELETE : ValueType.PUT, keys[sequence],
                            valueOf(keys[sequence], sequence));
                    publishedSequence.set(sequence);
                }
                done.set(true);
                return null;
            });
            writer.get(2, TimeUnit.MINUTES);
            long checks = 0;
            for (Future<Long> reader : readers) {
                checks += reader.get(2, TimeUnit.MINUTES);
            }
            assertThat(checks).as("reads checked").isGreaterThan(READERS);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertThat(table.size()).isEqualTo(ENTRIES);
    }

    /** One reader's loop until the writer is done (and one round after); returns the checks made. */
    private static long read(MemTable table, byte[][] keys, int[] nextOfKey, java.util.concurrent.atomic.AtomicLong published,
            AtomicBoolean done, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        long checks = 0;
        boolean last = false;
        while (!last) {
            last = done.get();
            long before = published.get();
            if (before > 0) {
                // A lookup of an entry published before it began finds that entry or a newer one of its key.
                long sequence = 1 + random.nextLong(before);
                Lookup found = table.get(keys[(int) sequence], before);
                long newest = sequence;
                while (nextOfKey[(int) newest] != 0 && nextOfKey[(int) newest] <= before) {
                    newest = nextOfKey[(int) newest];
                }
                Lookup expected = newest % 7 == 0 ? Lookup.DELETED : Lookup.found(valueOf(keys[(int) newest], newest));
                assertThat(found.state()).as("get of sequence " + sequence + " at " + before).isEqualTo(expected.state());
                assertThat(found.value()).isEqualTo(expected.value());
                checks++;
            }
            try (InternalIterator iterator = table.iterator()) {
                boolean forward = random.nextBoolean();
                if (forward) {
                    iterator.seek(InternalKey.encode(keys[1 + random.nextInt(keys.length - 1)], Long.MAX_VALUE >>> 8,
                            ValueType.FOR_SEEK));
                } else {
                    iterator.seekToLast();
                }
                byte[] previous = null;
                for (int step = 0; step < 200 && iterator.isValid(); step++) {
                    byte[] key = iterator.key();
                    long sequence = InternalKey.trailerOf(key) >>> 8;
                    byte[] userKey = InternalKey.userKeyOf(key);
                    assertThat(userKey).isEqualTo(keys[(int) sequence]);
                    assertThat(iterator.value()).isEqualTo(sequence % 7 == 0 ? new byte[0] : valueOf(userKey, sequence));
                    if (previous != null) {
                        assertThat(Integer.signum(ORDER.compare(previous, key))).isEqualTo(forward ? -1 : 1);
                    }
                    previous = key;
                    if (forward) {
                        iterator.next();
                    } else {
                        iterator.prev();
                    }
                    checks++;
                }
            }
        }
        return checks;
    }

    private static byte[] valueOf(byte[] key, long sequence) {
        int length = (int) (sequence % 97) * 3 + (sequence % 500 == 0 ? Arena.LARGE_PIECE + 1 : 0);
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) (key[key.length - 1] + sequence + i);
        }
        return value;
    }
}
