package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.iterator.NavigableMapIterator;
import org.lsmtree.testing.Mutation;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;
import org.lsmtree.wal.WriteBatch;

/**
 * Long random sequences of puts, deletes, batches, gets, iterator walks (both ways, with seeks),
 * snapshots, flushes, range compactions and reopens, checked step by step against a sorted map
 * (and a copy of it per open snapshot); a 4 KiB write buffer makes writes flush on their own.
 * The default run makes {@value #CASES} sequences of 1000 operations (25,000 in all); the soak
 * profile ({@code -Psoak}) makes them 20,000 long and multiplies the sequences.
 *
 * <p>A sequence is drawn whole before it runs, and each step carries what it needs, so a failing
 * sequence is shrunk by dropping steps and replayed from its seed with {@code -Dlsm.seed}.
 */
class DbModelTest {
    static final int CASES = 25;
    /** Operations per sequence: 1000 by default, 20,000 under the soak profile ({@code -Psoak}). */
    static final int STEPS = Integer.getInteger("lsm.model.steps", 1000);

    private enum Kind { PUT, DELETE, BATCH, GET, WALK, SNAPSHOT, READ_AT_SNAPSHOT, REOPEN, FLUSH, COMPACT }

    /** Relative weights of the kinds, in {@link Kind} order. */
    private static final int[] WEIGHTS = {35, 10, 10, 15, 8, 6, 8, 3, 3, 2};

    /**
     * One operation: its writes (one put or delete, or a batch), the key it reads or the range it
     * compacts (null bounds are open), whether it syncs, and a seed for its run-time choices
     * (iterator moves, which snapshot).
     */
    private record Step(Kind kind, List<Mutation> writes, byte[] key, byte[] end, boolean sync, long seed) {
        @Override
        public String toString() {
            return switch (kind) {
                case PUT, DELETE, BATCH -> kind + (sync ? " sync " : " ") + writes;
                case GET, READ_AT_SNAPSHOT -> kind + " " + text(key);
                case COMPACT -> kind + " [" + text(key) + ", " + text(end) + "]";
                default -> kind.toString();
            };
        }
    }

    @Test
    void storeBehavesLikeASortedMap() {
        SeededCases.checkShrinking(CASES, random -> steps(random, STEPS), (steps, random) -> run(steps));
    }

    /**
     * {@code count} steps over a pool of 200 keys: half of them "key0" to "key99", half drawn by
     * {@link SeededRandom#key()} (empty, binary, sharing prefixes, long); values of up to 40 bytes
     * and one in a hundred larger than the write buffer.
     */
    private static List<Step> steps(SeededRandom random, int count) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(("key" + i).getBytes(StandardCharsets.US_ASCII));
            keys.add(random.key());
        }
        List<Step> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Kind kind = Kind.values()[random.weighted(WEIGHTS)];
            List<Mutation> writes = new ArrayList<>();
            int writeCount = switch (kind) {
                case PUT, DELETE -> 1;
                case BATCH -> random.intBetween(1, 6);
                default -> 0;
            };
            for (int n = 0; n < writeCount; n++) {
                byte[] key = keys.get(random.nextInt(keys.size()));
                boolean put = kind == Kind.PUT || kind == Kind.BATCH && random.nextInt(3) != 0;
                writes.add(new Mutation(key, put ? value(random) : null));
            }
            boolean openBegin = random.nextBoolean();
            boolean openEnd = random.nextBoolean();
            byte[] key = kind == Kind.COMPACT && openBegin ? null : keys.get(random.nextInt(keys.size()));
            byte[] end = kind == Kind.COMPACT && !openEnd ? keys.get(random.nextInt(keys.size())) : null;
            steps.add(new Step(kind, writes, key, end, random.nextBoolean(), random.nextLong()));
        }
        return steps;
    }

    private static byte[] value(SeededRandom random) {
        return random.oneIn(100) ? random.bytes(random.intBetween(4096, 40_000)) : random.anyBytes(40);
    }

    private static void run(List<Step> steps) throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Options options = Options.defaults().withWriteBufferSize(4096);
            Db db = Db.open(dir, options);
            TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
            List<Map.Entry<Snapshot, NavigableMap<byte[], byte[]>>> snapshots = new ArrayList<>();
            try {
                for (int i = 0; i < steps.size(); i++) {
                    Step step = steps.get(i);
                    String context = "step " + i + " (" + step.kind() + ")";
                    Random choices = new Random(step.seed());
                    switch (step.kind()) {
                        case PUT -> {
                            Mutation put = step.writes().get(0);
                            db.put(put.key(), put.value(), step.sync() ? WriteOptions.sync() : WriteOptions.noSync());
                            model.put(put.key(), put.value());
                        }
                        case DELETE -> {
                            db.delete(step.writes().get(0).key());
                            model.remove(step.writes().get(0).key());
                        }
                        case BATCH -> {
                            WriteBatch batch = new WriteBatch();
                            for (Mutation write : step.writes()) {
                                if (write.isPut()) {
                                    batch.put(write.key(), write.value());
                                    model.put(write.key(), write.value());
                                } else {
                                    batch.delete(write.key());
                                    model.remove(write.key());
                                }
                            }
                            db.write(batch, WriteOptions.sync());
                        }
                        case GET -> assertThat(db.get(step.key())).as(context).isEqualTo(model.get(step.key()));
                        case WALK -> walk(db, ReadOptions.defaults(), model, step.key(), choices, context);
                        case SNAPSHOT -> snapshots.add(Map.entry(db.snapshot(), new TreeMap<>(model)));
                        case READ_AT_SNAPSHOT -> {
                            if (snapshots.isEmpty()) {
                                assertThat(db.get(step.key())).as(context).isEqualTo(model.get(step.key()));
                                continue;
                            }
                            var pinned = snapshots.get(choices.nextInt(snapshots.size()));
                            ReadOptions at = ReadOptions.at(pinned.getKey());
                            assertThat(db.get(step.key(), at)).as(context).isEqualTo(pinned.getValue().get(step.key()));
                            walk(db, at, pinned.getValue(), step.key(), choices, context + " at snapshot");
                            if (choices.nextInt(4) == 0) {
                                pinned.getKey().close();
                                snapshots.remove(pinned);
                            }
                        }
                        case REOPEN -> {
                            snapshots.clear(); // a reopen ends every snapshot
                            db.close();
                            db = Db.open(dir, options);
                        }
                        case FLUSH -> db.flush();
                        case COMPACT -> db.compactRange(step.key(), step.end());
                    }
                }
            } finally {
                db.close();
            }
        }
    }

    /** Twenty random moves, seeks landing at {@code seekKey} or at random points between keys. */
    private static void walk(Db db, ReadOptions readOptions, NavigableMap<byte[], byte[]> model, byte[] seekKey,
            Random random, String context) throws IOException {
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
                        byte[] target = random.nextBoolean() ? seekKey
                                : ("key" + random.nextInt(150)).getBytes(StandardCharsets.US_ASCII);
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

    private static String text(byte[] key) {
        return key == null ? "open" : Mutation.hex(key);
    }
}
