package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.lsmtree.engine.DbMutationTest.CaseResult;
import org.lsmtree.engine.DbMutationTest.Store;
import org.lsmtree.engine.DbMutationTest.Write;
import org.lsmtree.testing.TortureReport;

/**
 * Systematic damage to every file kind of one small store (a live WAL, tables on two levels or
 * more, a MANIFEST, CURRENT): every bit of each small file (CURRENT, the MANIFEST, and the
 * WAL while it is under {@code lsm.damage.small-file} bytes) flipped in turn, a seeded sample of
 * bits of each larger file, truncation at a sample of lengths (every length of the small files
 * up to 64, and the edges of every 7-byte log header and every table block), and zeroed ranges.
 * Each case opens the damaged store under default options, reads everything back and runs the
 * damaged file's verifier, as {@link DbMutationTest} does ({@link DbMutationTest#runCase}), and is
 * counted per file kind as detected, harmless or missed ({@link DamageFigures}); missed fails.
 *
 * <p>Runs in the 64 MiB JVM of the {@code damage-mutations} surefire execution, so a damaged
 * length that makes anything allocate its claim shows as an OutOfMemoryError. Defaults: files up
 * to 4 KiB are small, 400 sampled bits, 40 truncations and 40 zeroed ranges per large file;
 * {@code -Ptorture} makes files up to 16 KiB small and samples 20,000 bits. The sample's seed is
 * printed; {@code -Dlsm.damage.seed=S} replays it.
 */
class DbFileDamageTest {
    private static final int SMALL_FILE = Integer.getInteger("lsm.damage.small-file", 4096);
    private static final int BIT_SAMPLE = Integer.getInteger("lsm.damage.bits", 400);
    private static final int CUT_SAMPLE = Integer.getInteger("lsm.damage.cuts", 40);
    private static final int ZERO_SAMPLE = Integer.getInteger("lsm.damage.zeroed", 40);

    /** One damage: what it did, in words, and the damaged file's new bytes. */
    record Damage(String file, String how, byte[] bytes) {}

    @Test
    void everyBitOfTheSmallFilesAndASampleOfTheLargeOnesIsDetectedOrHarmless() throws Exception {
        long seed = Long.getLong("lsm.damage.seed", System.nanoTime());
        Store store = smallStore();
        System.out.printf("file damage: store files %s, seed %d (replay: -Dlsm.damage.seed=%d)%n",
                sizes(store.files()), seed, seed);
        List<Damage> damages = damages(store, new SplittableRandom(seed));
        TortureReport report = new TortureReport("DbFileDamageTest, every file kind of a small store");
        DamageFigures.start(report, List.of("CURRENT", "MANIFEST", "WAL", "table"));
        List<String> missed = new ArrayList<>();
        List<String> unlocated = new ArrayList<>();
        ExecutorService executor = DbMutationTest.newExecutor();
        try {
            for (Damage damage : damages) {
                Map<String, byte[]> files = new TreeMap<>(store.files());
                files.put(damage.file(), damage.bytes());
                CaseResult[] result = new CaseResult[1];
                executor = DbMutationTest.runWithin(executor, store, files, damage.file(), result);
                String kind = DbMutationTest.kindOf(damage.file());
                DamageFigures.count(report, kind, result[0]);
                if (DamageFigures.withoutOffset(result[0])) {
                    unlocated.add(damage.file() + " " + damage.how() + " -> " + result[0].detail());
                }
                if (result[0].outcome().failure) {
                    missed.add(damage.file() + " " + damage.how() + " -> " + result[0].outcome() + ": "
                            + result[0].detail());
                }
            }
        } finally {
            executor.shutdownNow();
        }
        System.out.print(report.render());
        unlocated.stream().limit(10).forEach(line -> System.out.println("detected without an offset: " + line));
        missed.stream().limit(30).forEach(System.out::println);
        assertThat(report.get(TortureReport.DAMAGE_CASES)).isEqualTo(damages.size());
        assertThat(missed).as("damage served as data, untyped exceptions, OOMs or hangs (seed %d)", seed).isEmpty();
        assertThat(report.get(TortureReport.MISSED)).isZero();
    }

    /** Every damage case of the run, in file order. */
    static List<Damage> damages(Store store, SplittableRandom random) {
        List<Damage> damages = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : store.files().entrySet()) {
            String name = file.getKey();
            byte[] bytes = file.getValue();
            boolean small = bytes.length <= SMALL_FILE || name.equals("CURRENT") || name.startsWith("MANIFEST-");
            for (long bit : bits(bytes.length, small, random)) {
                byte[] damaged = bytes.clone();
                damaged[(int) (bit >>> 3)] ^= (byte) (1 << (bit & 7));
                damages.add(new Damage(name, "bit " + (bit & 7) + " of byte " + (bit >>> 3) + " flipped", damaged));
            }
            for (int length : cuts(name, bytes.length, small, store, random)) {
                damages.add(new Damage(name, "cut to " + length + " bytes", java.util.Arrays.copyOf(bytes, length)));
            }
            for (int i = 0; i < (small ? Math.max(8, bytes.length / 32) : ZERO_SAMPLE) && bytes.length > 0; i++) {
                int at = random.nextInt(bytes.length);
                int length = Math.min(bytes.length - at, 1 + random.nextInt(random.nextInt(4) == 0 ? 4096 : 32));
                byte[] damaged = bytes.clone();
                java.util.Arrays.fill(damaged, at, at + length, (byte) 0);
                if (!java.util.Arrays.equals(damaged, bytes)) {
                    damages.add(new Damage(name, length + " bytes at " + at + " zeroed", damaged));
                }
            }
        }
        return damages;
    }

    /** Every bit of a small file; else a sample of {@link #BIT_SAMPLE} distinct bits. */
    private static Iterable<Long> bits(int size, boolean small, SplittableRandom random) {
        long total = 8L * size;
        if (small || total <= BIT_SAMPLE) {
            return () -> java.util.stream.LongStream.range(0, total).boxed().iterator();
        }
        TreeSet<Long> sample = new TreeSet<>();
        while (sample.size() < BIT_SAMPLE) {
            sample.add(random.nextLong(total));
        }
        return sample;
    }

    /**
     * Lengths to cut a file to: every length up to 64 of a small file, the edges of each 7-byte
     * log header (WAL, MANIFEST) and of each table block, and a random sample.
     */
    private static TreeSet<Integer> cuts(String name, int size, boolean small, Store store, SplittableRandom random) {
        TreeSet<Integer> lengths = new TreeSet<>();
        for (int length = 0; length < Math.min(size, small ? 64 : 8); length++) {
            lengths.add(length);
        }
        for (long[] block : store.dataBlocks().getOrDefault(name, List.of())) {
            lengths.add((int) block[0]);
            lengths.add((int) (block[0] + block[1] - 1));
        }
        for (int i = 0; i < CUT_SAMPLE; i++) {
            lengths.add(random.nextInt(Math.max(1, size)));
        }
        lengths.add(Math.max(0, size - 1));
        lengths.removeIf(length -> length >= size);
        return lengths;
    }

    private static String sizes(Map<String, byte[]> files) {
        StringBuilder text = new StringBuilder();
        files.forEach((name, bytes) -> text.append(text.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(bytes.length));
        return text.toString();
    }

    /**
     * Tables on two levels or more (flushes, a full compaction, more flushes), a MANIFEST of those
     * edits, and a live WAL of a few writes; no background work runs unbidden (the write buffer is
     * larger than the history and level 0 stays under its trigger), so a seed replays the same bytes.
     */
    static Store smallStore() throws IOException {
        List<Write> writes = DbMutationTest.history(46, 260);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Options options = Options.defaults().withWriteBufferSize(4 << 20).withBlockSize(512);
            try (Db db = Db.open(dir, options)) {
                for (int i = 0; i < writes.size(); i++) {
                    DbMutationTest.apply(db, writes.get(i));
                    if (i == 80 || i == 160) {
                        db.flush();
                    }
                    if (i == 170) {
                        db.compactRange(null, null);
                    }
                    if (i == 248) {
                        db.flush();
                    }
                }
                int levels = 0;
                for (int level = 0; level < 7; level++) {
                    levels += db.property("lsm.num-files-at-level" + level).equals("0") ? 0 : 1;
                }
                assertThat(levels).as("levels holding tables").isGreaterThanOrEqualTo(2);
            }
            Map<String, byte[]> files = DbMutationTest.readDirectory(dir);
            files.remove("LOCK");
            assertThat(files.keySet()).contains("CURRENT").anyMatch(name -> name.startsWith("MANIFEST-"))
                    .anyMatch(name -> name.endsWith(".log"));
            assertThat(files.keySet().stream().filter(name -> name.endsWith(".ldb")).count()).isGreaterThanOrEqualTo(2);
            return new Store("small store", files, writes, DbMutationTest.dataBlocks(dir, files));
        }
    }
}
