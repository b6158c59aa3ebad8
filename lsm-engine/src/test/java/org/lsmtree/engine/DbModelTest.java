package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.lsmtree.format.iterator.NavigableMapIterator;
import org.lsmtree.wal.WriteBatch;

/**
 * Long random sequences of puts, deletes, batches, gets, iterator walks (both ways, with seeks),
 * snapshots, flushes, range compactions and reopens, checked step by step against a sorted map
 * (and a copy of it per open snapshot); a 4 KiB write buffer makes writes flush on their own.
 * The default run makes {@value #TRIES} sequences of 1000 operations (25,000 in all); the soak
 * profile ({@code -Psoak}) makes them 20,000 long (500,000 in all).
 */
class DbModelTest {
    static final int TRIES = 25;
    /** Operations per sequence: 1000 by default, 20,000 under the soak profile ({@code -Psoak}). */
    static final int STEPS = Integer.getInteger("lsm.model.steps", 1000);

    @Property(tries = TRIES)
    void storeBehavesLikeASortedMap(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Options options = Options.defaults().withWriteBufferSize(4096);
            Db db = Db.open(dir, options);
            TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
            List<Map.Entry<Snapshot, NavigableMap<byte[], byte[]>>> snapshots = new ArrayList<>();
            try {
                for (int step = 0; step < STEPS; step++) {
                    String context = "seed " + seed + ", step " + step;
                    int op = random.nextInt(100);
                    if (op < 35) {
                        byte[] key = key(random);
                        byte[] value = value(random);
                        db.put(key, value, random.nextBoolean() ? WriteOptions.sync() : WriteOptions.noSync());
                        model.put(key, value);
                    } else if (op < 45) {
                        byte[] key = key(random);
                        db.delete(key);
                        model.remove(key);
                    } else if (op < 55) {
                        WriteBatch batch = new WriteBatch();
                        for (int n = random.nextInt(5); n >= 0; n--) {
                            byte[] key = key(random);
                            if (random.nextInt(3) == 0) {
                                batch.delete(key);
                                model.remove(key);
                            } else {
                                byte[] value = value(random);
                                batch.put(key, value);
                                model.put(key, value);
                            }
                        }
                        db.write(batch, WriteOptions.sync());
                    } else if (op < 70) {
                        byte[] key = key(random);
                        assertThat(db.get(key)).as(context).isEqualTo(model.get(key));
                    } else if (op < 78) {
                        walk(db, ReadOptions.defaults(), model, random, context);
                    } else if (op < 84) {
                        snapshots.add(Map.entry(db.snapshot(), new TreeMap<>(model)));
                    } else if (op < 92 && !snapshots.isEmpty()) {
                        var pinned = snapshots.get(random.nextInt(snapshots.size()));
                        byte[] key = key(random);
                        assertThat(db.get(key, ReadOptions.at(pinned.getKey()))).as(context).isEqualTo(pinned.getValue().get(key));
                        walk(db, ReadOptions.at(pinned.getKey()), pinned.getValue(), random, context + " at snapshot");
                        if (random.nextInt(4) == 0) {
                            pinned.getKey().close();
                            snapshots.remove(pinned);
                        }
                    } else if (op < 95) {
                        snapshots.clear(); // a reopen ends every snapshot
                        db.close();
                        db = Db.open(dir, options);
                    } else if (op < 98) {
                        db.flush();
                    } else {
                        byte[] begin = random.nextBoolean() ? null : key(random);
                        byte[] end = random.nextBoolean() ? null : key(random);
                        db.compactRange(begin, end);
                    }
                }
            } finally {
                db.close();
            }
        }
    }

    private static void walk(Db db, ReadOptions readOptions, NavigableMap<byte[], byte[]> model, Random random,
            String context) throws IOException {
        try (DbIterator it = db.iterator(readOptions)) {
            NavigableMapIterator expected = new NavigableMapIterator(model);
            for (int move = 0; move < 20; move++) {
                int kind = random.nextInt(5);
                if (kind < 2 && !expected.isValid()) {
                    kind = 2;
                }
                switch (kind) {
                    case 0 -> { it.next(); expected.next(); }
                    case 1 -> { it.prev(); expected.prev(); }
                    case 2 -> { it.seekToFirst(); expected.seekToFirst(); }
                    case 3 -> { it.seekToLast(); expected.seekToLast(); }
                    default -> {
                        byte[] target = key(random);
                        it.seek(target);
                        expected.seek(target);
                    }
                }
                assertThat(it.isValid()).as(context + ", move " + move).isEqualTo(expected.isValid());
                if (expected.isValid()) {
                    assertThat(it.key()).as(context).isEqualTo(expected.key());
                    assertThat(it.value()).as(context).isEqualTo(expected.value());
                }
            }
        }
    }

    private static byte[] key(Random random) {
        return ("key" + random.nextInt(200)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] value(Random random) {
        byte[] value = new byte[random.nextInt(40)];
        random.nextBytes(value);
        return value;
    }
}
