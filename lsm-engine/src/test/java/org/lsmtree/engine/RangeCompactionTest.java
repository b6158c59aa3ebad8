package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;
import static org.lsmtree.engine.DbOpenAndWriteTest.s;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.SeededCases;
import org.lsmtree.testing.SeededRandom;

/**
 * {@link Db#compactRange} as one merge ({@link RangeCompaction}), on seeded random puts, deletes
 * and snapshots checked against a {@link TreeMap} (and a copy per open snapshot): what every
 * snapshot sees is unchanged, the levels keep their invariants (no overlap at level 1 and below,
 * files near the target size), every file meeting the range ends at one level, and a full
 * compaction writes each surviving entry once: its bytes written equal the bytes of the tables it
 * leaves (the level-by-level loop it replaced wrote about twice that).
 *
 * <p>{@code -Dlsm.range.keys=N} (default 2000) sizes the keyspace of the full-compaction case;
 * the case prints its figures (bytes written, tables left) for the record.
 */
class RangeCompactionTest {
    private static final int KEYS = Integer.getInteger("lsm.range.keys", 2000);
    private static final long TARGET_FILE_SIZE = 8 << 10;

    /** Small buffers and levels, so that a few thousand writes make several levels. */
    private static Options small(ManualExecutor background) {
        return Options.defaults().withBackgroundExecutor(background).withWriteBufferSize(8 << 10)
                .withTargetFileSize(TARGET_FILE_SIZE).withLevelSizes(32 << 10, 4);
    }

    private static byte[] key(int i) {
        return b(String.format("key%07d", i));
    }

    /** The store's state: what each snapshot saw when taken, and the writes since. */
    private static final class Model {
        final TreeMap<String, String> live = new TreeMap<>();
        final List<Snapshot> snapshots = new ArrayList<>();
        final List<TreeMap<String, String>> seen = new ArrayList<>();

        /** Random puts (values 0 to 120 bytes), deletes and snapshot takes and releases. */
        void write(Db db, SeededRandom random, int operations, int keys, ManualExecutor background)
                throws IOException {
            for (int i = 0; i < operations; i++) {
                int k = random.nextInt(keys);
                if (random.oneIn(4)) {
                    db.delete(key(k));
                    live.remove(s(key(k)));
                } else {
                    String value = "v" + i + "x".repeat(random.nextInt(120));
                    db.put(key(k), b(value));
                    live.put(s(key(k)), value);
                }
                if (random.oneIn(800)) {
                    snapshots.add(db.snapshot());
                    seen.add(new TreeMap<>(live));
                } else if (!snapshots.isEmpty() && random.oneIn(1000)) {
                    int which = random.nextInt(snapshots.size());
                    snapshots.remove(which).close();
                    seen.remove(which);
                }
                background.runSomeAtRandom();
            }
        }

        void check(Db db, String when) throws IOException {
            assertThat(contents(db, ReadOptions.defaults())).as("live keys %s", when).isEqualTo(live);
            for (int i = 0; i < snapshots.size(); i++) {
                assertThat(contents(db, ReadOptions.at(snapshots.get(i)))).as("snapshot %d %s", i, when)
                        .isEqualTo(seen.get(i));
            }
        }

        void releaseAll() {
            snapshots.forEach(Snapshot::close);
            snapshots.clear();
            seen.clear();
        }
    }

    private static Map<String, String> contents(Db db, ReadOptions options) throws IOException {
        TreeMap<String, String> found = new TreeMap<>();
        try (DbIterator it = db.iterator(options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                found.put(s(it.key()), s(it.value()));
            }
        }
        return found;
    }

    private static LevelState state(Db db) {
        return db.core().internals().versions().current().state();
    }

    /** No overlap and increasing order at levels 1 and below; no file far past the target size. */
    private static void assertLevelInvariants(LevelState state, Options options) {
        var users = options.comparator();
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            List<FileMetadata> files = state.files(level);
            for (int i = 0; i < files.size(); i++) {
                // Cut once the target is reached, between user keys: a block, one key's versions and the meta blocks more.
                assertThat(files.get(i).size()).as("size of file %d at level %d", i, level)
                        .isLessThanOrEqualTo(TARGET_FILE_SIZE + options.blockSize() + 4096);
                if (level > 0 && i > 0) {
                    assertThat(users.compare(InternalKey.userKeyOf(files.get(i - 1).largest()),
                            InternalKey.userKeyOf(files.get(i).smallest())))
                            .as("file %d of level %d starts after the one before ends", i, level).isLessThan(0);
                }
            }
        }
    }

    /** The levels holding a file whose user keys meet {@code [begin, end]} (null: unbounded). */
    private static List<Integer> levelsMeeting(LevelState state, Options options, byte[] begin, byte[] end) {
        CompactionPicker picker = new CompactionPicker(options);
        List<Integer> levels = new ArrayList<>();
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            if (!picker.overlapping(state.files(level), begin, end).isEmpty()) {
                levels.add(level);
            }
        }
        return levels;
    }

    /** One seeded case on a store of its own: the store's directory, options, executor and model. */
    private interface StoreCase {
        void run(Path dir, Options options, ManualExecutor background, Model model, SeededRandom random)
                throws IOException;
    }

    private static void checkCases(int cases, StoreCase body) {
        SeededCases.check(cases, random -> {
            try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
                ManualExecutor background = new ManualExecutor(random.seed());
                body.run(fs.getPath("/db"), small(background), background, new Model(), random);
            }
        });
    }

    @Test
    void aFullCompactionKeepsWhatEverySnapshotSeesAndWritesEachSurvivingEntryOnce() {
        checkCases(3, (dir, options, background, model, random) -> {
            try (Db db = Db.open(dir, options.withCreateIfMissing(true))) {
                model.write(db, random, KEYS * 3, KEYS, background);
                db.flush();
                background.runAll();
                assertThat(levelsMeeting(state(db), options, null, null)).as("levels before").hasSizeGreaterThan(1);
                CompactionStats stats = db.core().internals().compactionStats();
                long before = stats.writtenBytes();

                db.compactRange(null, null);

                long written = stats.writtenBytes() - before;
                LevelState after = state(db);
                List<Integer> levels = levelsMeeting(after, options, null, null);
                long left = 0;
                for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
                    left += after.bytes(level);
                }
                System.out.printf("seed %d: compactRange(null, null) over %d keys wrote %d bytes, left %d bytes"
                        + " in %d tables at level %s%n", random.seed(), KEYS, written, left,
                        levels.stream().mapToInt(after::fileCount).sum(), levels);
                assertThat(levels).as("levels after").hasSize(1);
                // One merge writes exactly the tables it leaves; level by level rewrote level 0's data once per level.
                assertThat(written).as("bytes written by the full compaction").isEqualTo(left);
                assertLevelInvariants(after, options);
                model.check(db, "after the full compaction");
                if (model.snapshots.isEmpty()) {
                    long entries = 0;
                    for (FileMetadata file : after.files(levels.get(0))) {
                        entries += db.core().internals().tables().get(file).recordedEntries();
                    }
                    assertThat(entries).as("entries left: no tombstone, no shadowed version").isEqualTo(model.live.size());
                }
                model.releaseAll();
            }
            try (Db db = Db.open(dir, options)) {
                model.check(db, "after a reopen");
            }
        });
    }

    @Test
    void rangeCompactionsBetweenWritesKeepTheModelAndLeaveTheRangeAtOneLevel() {
        checkCases(3, (dir, options, background, model, random) -> {
            try (Db db = Db.open(dir, options.withCreateIfMissing(true))) {
                for (int round = 0; round < 8; round++) {
                    model.write(db, random, 600, 1500, background);
                    int from = random.nextInt(1500);
                    int to = from + random.nextInt(400);
                    byte[] begin = random.oneIn(6) ? null : key(from);
                    byte[] end = random.oneIn(6) ? null : key(to);
                    db.compactRange(begin, end);
                    String when = "after compactRange(" + (begin == null ? "null" : s(begin)) + ", "
                            + (end == null ? "null" : s(end)) + ") of round " + round;
                    assertThat(levelsMeeting(state(db), options, begin, end)).as("levels meeting the range %s", when)
                            .hasSizeLessThanOrEqualTo(1);
                    assertLevelInvariants(state(db), options);
                    model.check(db, when);
                }
                model.releaseAll();
            }
        });
    }
}
