package org.lsmtree.leveldb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.leveldb.DbContractTest.b;
import static org.lsmtree.leveldb.DbContractTest.text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;

/**
 * A seeded random walk of a {@link DBIterator} checked step by step against a model: the sorted
 * entries and a cursor index between them (0 before the first, {@code size} after the last), the
 * way {@link java.util.ListIterator} works. A failure names the seed and step; the same seed
 * replays the same walk.
 */
final class CursorWalk {
    private static final int STEPS = 400;

    private CursorWalk() {}

    /**
     * Fills {@code db} from {@code seed} and walks it; reverse steps only when {@code reverse};
     * with {@code seekFirst}, the walk begins with a {@code seekToFirst()} (for the port's defect,
     * which {@link DbContractTest#aNewIteratorSkipsADeletedFirstKey} records).
     */
    static void run(DB db, long seed, boolean reverse, boolean seekFirst) throws IOException {
        Random random = new Random(seed);
        TreeMap<String, String> model = new TreeMap<>();
        for (int i = 0; i < 500; i++) {
            String key = "k" + random.nextInt(150);
            if (random.nextInt(5) == 0) {
                db.delete(b(key));
                model.remove(key);
            } else {
                String value = i + "-" + "y".repeat(random.nextInt(120));
                db.put(b(key), b(value));
                model.put(key, value);
            }
        }
        List<String> entries = new ArrayList<>();
        model.forEach((key, value) -> entries.add(key + "=" + value));
        List<String> keys = new ArrayList<>(model.keySet());
        int cursor = 0;
        try (DBIterator it = db.iterator()) {
            if (seekFirst) {
                it.seekToFirst();
            }
            for (int step = 0; step < STEPS; step++) {
                int op = random.nextInt(reverse ? 9 : 5);
                String where = "seed " + seed + ", step " + step + ", op " + op + ", cursor " + cursor;
                switch (op) {
                    case 0 -> {
                        it.seekToFirst();
                        cursor = 0;
                    }
                    case 1 -> {
                        String target = "k" + random.nextInt(160);
                        it.seek(b(target));
                        int found = Collections.binarySearch(keys, target);
                        cursor = found >= 0 ? found : -found - 1;
                    }
                    case 2 -> assertThat(it.hasNext()).as(where).isEqualTo(cursor < entries.size());
                    case 3, 4 -> {
                        boolean move = op == 3;
                        if (cursor < entries.size()) {
                            assertThat(text(move ? it.next() : it.peekNext())).as(where).isEqualTo(entries.get(cursor));
                            cursor += move ? 1 : 0;
                        } else {
                            assertThatThrownBy(move ? it::next : it::peekNext).as(where)
                                    .isInstanceOf(NoSuchElementException.class);
                        }
                    }
                    case 5 -> {
                        it.seekToLast();
                        cursor = Math.max(0, entries.size() - 1);
                    }
                    case 6 -> assertThat(it.hasPrev()).as(where).isEqualTo(cursor > 0);
                    default -> {
                        boolean move = op == 7;
                        if (cursor > 0) {
                            assertThat(text(move ? it.prev() : it.peekPrev())).as(where)
                                    .isEqualTo(entries.get(cursor - 1));
                            cursor -= move ? 1 : 0;
                        } else {
                            assertThatThrownBy(move ? it::prev : it::peekPrev).as(where)
                                    .isInstanceOf(NoSuchElementException.class);
                        }
                    }
                }
            }
        }
    }
}
