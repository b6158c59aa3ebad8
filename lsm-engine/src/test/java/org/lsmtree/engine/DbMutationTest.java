package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.manifest.ManifestVerifier;
import org.lsmtree.sstable.SstableVerifier;
import org.lsmtree.sstable.TableLayout;
import org.lsmtree.testing.NativeLevelDb;
import org.lsmtree.testing.TortureReport;
import org.lsmtree.wal.WalVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded random damage to whole stores: each case mutates one file of a small store that has
 * every file kind (tables on two levels, a live multi-block WAL, a MANIFEST of many edits,
 * CURRENT), then opens it, reads everything (forward and backward scans, a get of every key ever
 * written) and runs the file verifiers. Surefire runs this class in a JVM of 64 MiB
 * ({@code lsm-engine/pom.xml}), so a damaged length that makes anything allocate its claim shows.
 *
 * <p>What each case must come to, and what is a failure:
 * <ul>
 *   <li>the store opens and serves the state after every write, or after a prefix of them (a
 *       dropped log tail), the dropped files kept in {@code lost/} (or the writes after the prefix
 *       are in no file any more: a log cut exactly between two records looks like its end);
 *   <li>or open or a read fails with an {@link IOException} naming a file, and a refused open
 *       changed no file;
 *   <li>never a value that no prefix of the writes gives, a get that disagrees with the scan, an
 *       exception of another type, an {@link OutOfMemoryError} or a case that runs past its time.
 * </ul>
 * The seed is printed; {@code -Dlsm.mutation.seed=S -Dlsm.mutation.cases=N} replays the first N
 * cases of seed S, {@code -Dlsm.mutation.only=I} the single case I. Our store gets 2,000 cases by
 * default, C++ LevelDB's half as many (its store is rebuilt by C++ LevelDB each run, the same
 * bytes every time); {@code -Ptorture} runs 100 times as many.
 */
class DbMutationTest {
    private static final Logger LOG = LoggerFactory.getLogger(DbMutationTest.class);
    private static final long CASE_TIMEOUT_SECONDS = 60;
    private static final HexFormat HEX = HexFormat.of();

    enum Mutation { BIT_FLIP, OVERWRITE, ZEROED_RUN, TRUNCATION, INSERTION, DELETION, SWAPPED_BLOCKS, COPIED_REGION }

    enum Outcome {
        INTACT(false), ROLLED_BACK_FILES_KEPT(false), ROLLED_BACK_BY_THE_DAMAGE(false), REFUSED_AT_OPEN(false),
        READ_ERROR(false),
        WRONG_VALUE(true), ROLLED_BACK_FILES_DELETED(true), REFUSAL_CHANGED_FILES(true), UNNAMED_ERROR(true),
        UNTYPED_EXCEPTION(true), OUT_OF_MEMORY(true), HANG(true);

        final boolean failure;

        Outcome(boolean failure) {
            this.failure = failure;
        }
    }

    /** One write of the history: a put, or a delete when {@code value} is null. */
    record Write(String key, String value) {}

    /** A store's files (name to bytes), the writes that made it, and its tables' data blocks. */
    record Store(String name, Map<String, byte[]> files, List<Write> writes, Map<String, List<long[]>> dataBlocks,
            List<Write> distinctKeys) {
        Store(String name, Map<String, byte[]> files, List<Write> writes, Map<String, List<long[]>> dataBlocks) {
            this(name, files, writes, dataBlocks, firstWriteOfEachKey(writes));
        }

        private static List<Write> firstWriteOfEachKey(List<Write> writes) {
            Map<String, Write> byKey = new TreeMap<>();
            writes.forEach(write -> byKey.putIfAbsent(write.key(), write));
            return List.copyOf(byKey.values());
        }
    }

    @Test
    void randomDamageToOurStoreIsNeverServedAsData() throws Exception {
        runCases(ourStore(), 0, 1);
    }

    @Test
    @Tag(NativeLevelDb.TAG)
    void randomDamageToACppLevelDbStoreIsNeverServedAsData() throws Exception {
        runCases(cppStore(), 1, 2);
    }

    /** Runs {@code lsm.mutation.cases / divisor} cases of damage to {@code store}. */
    private void runCases(Store store, long seedSalt, int divisor) throws Exception {
        long seed = Long.getLong("lsm.mutation.seed", System.nanoTime()) + seedSalt;
        int cases = Integer.getInteger("lsm.mutation.cases", 2000) / divisor;
        Integer only = Integer.getInteger("lsm.mutation.only");
        System.out.printf("%s: %d mutation cases, seed %d (replay: -Dlsm.mutation.seed=%d)%n", store.name(), cases,
                seed - seedSalt, seed - seedSalt);
        Map<Mutation, Map<Outcome, Integer>> table = new EnumMap<>(Mutation.class);
        Map<String, Map<Outcome, Integer>> byFile = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        ExecutorService executor = newExecutor();
        TortureReport report = new TortureReport("DbMutationTest, random damage to " + store.name());
        DamageFigures.start(report, List.of("CURRENT", "MANIFEST", "WAL", "table"));
        try {
            for (int i = 0; i < cases; i++) {
                if (only != null && only != i) {
                    continue;
                }
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + i);
                List<String> names = new ArrayList<>(store.files().keySet());
                String file = names.get(random.nextInt(names.size()));
                Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
                Map<String, byte[]> mutated = new TreeMap<>(store.files());
                String how = mutate(mutated, file, mutation, random, store.dataBlocks().get(file));
                CaseResult[] outcome = new CaseResult[1];
                executor = runWithin(executor, store, mutated, file, outcome);
                CaseResult result = outcome[0];
                DamageFigures.count(report, kindOf(file), result);
                table.computeIfAbsent(mutation, m -> new EnumMap<>(Outcome.class)).merge(result.outcome(), 1, Integer::sum);
                byFile.computeIfAbsent(kindOf(file), f -> new EnumMap<>(Outcome.class))
                        .merge(result.outcome(), 1, Integer::sum);
                if (result.outcome().failure) {
                    failures.add("case " + i + " (-Dlsm.mutation.seed=" + (seed - seedSalt) + " -Dlsm.mutation.only="
                            + i + "): " + file + " " + how + " -> " + result.outcome() + ": " + result.detail());
                }
            }
        } finally {
            executor.shutdownNow();
        }
        System.out.println(render(store.name() + ", by mutation", table));
        System.out.println(render(store.name() + ", by file kind", byFile));
        System.out.print(report.render());
        failures.stream().limit(30).forEach(System.out::println);
        assertThat(failures).as("cases of %s that served damage, threw untyped, ran out of memory or hung (seed %d)",
                store.name(), seed - seedSalt).isEmpty();
    }

    /**
     * How a case ended; {@code verifierFound} says whether the verifier of the damaged file's kind
     * reported a problem in it (damage the reads did not need to see, e.g. in a dropped block).
     */
    record CaseResult(Outcome outcome, String detail, boolean verifierFound) {
        CaseResult(Outcome outcome, String detail) {
            this(outcome, detail, false);
        }

        CaseResult withVerifierFound(boolean found) {
            return new CaseResult(outcome, detail, found);
        }
    }

    /**
     * Runs {@link #runCase} on {@code executor} with the case time limit; a hang, an untyped
     * exception or an OutOfMemoryError becomes the outcome. Returns the executor to use next (a
     * new one after a hang, whose thread is abandoned).
     */
    static ExecutorService runWithin(ExecutorService executor, Store store, Map<String, byte[]> mutated, String file,
            CaseResult[] result) {
        Future<CaseResult> future = executor.submit(() -> runCase(store, mutated, file));
        try {
            result[0] = future.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            executor.shutdownNow();
            result[0] = new CaseResult(Outcome.HANG, "no result after " + CASE_TIMEOUT_SECONDS + " s");
            return newExecutor();
        } catch (ExecutionException e) {
            result[0] = e.getCause() instanceof OutOfMemoryError
                    ? new CaseResult(Outcome.OUT_OF_MEMORY, e.getCause().toString())
                    : new CaseResult(Outcome.UNTYPED_EXCEPTION, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return executor;
    }

    /** Opens a copy of the mutated store in memory, reads everything, verifies every file. */
    static CaseResult runCase(Store store, Map<String, byte[]> files, String mutatedFile) throws IOException {
        boolean[] verifierFound = new boolean[1];
        return runCase(store, files, mutatedFile, verifierFound).withVerifierFound(verifierFound[0]);
    }

    private static CaseResult runCase(Store store, Map<String, byte[]> files, String mutatedFile,
            boolean[] verifierFound) throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(dir.resolve(file.getKey()), file.getValue());
            }
            verifierFound[0] = runVerifiers(dir, List.of(mutatedFile));
            Map<String, byte[]> before = readDirectory(dir);
            Map<String, String> seen = new TreeMap<>();
            boolean readError = false;
            String firstReadError = "";
            Db db;
            try {
                db = Db.open(dir, Options.defaults());
            } catch (IOException e) {
                if (!named(e, dir)) {
                    return new CaseResult(Outcome.UNNAMED_ERROR, e.toString());
                }
                Map<String, byte[]> after = readDirectory(dir);
                after.remove("LOCK");
                before.remove("LOCK");
                if (!sameFiles(before, after)) {
                    return new CaseResult(Outcome.REFUSAL_CHANGED_FILES, e + "; files before " + before.keySet()
                            + ", after " + after.keySet());
                }
                return new CaseResult(Outcome.REFUSED_AT_OPEN, e.toString());
            }
            try (db) {
                try {
                    scan(db, seen, true);
                    Map<String, String> backward = new TreeMap<>();
                    scan(db, backward, false);
                    if (!backward.equals(seen)) {
                        return new CaseResult(Outcome.WRONG_VALUE, "the backward scan differs from the forward scan");
                    }
                } catch (IOException e) {
                    if (!named(e, dir)) {
                        return new CaseResult(Outcome.UNNAMED_ERROR, e.toString());
                    }
                    firstReadError = readError ? firstReadError : e.toString();
                    readError = true;
                }
                for (Write write : store.distinctKeys()) {
                    try {
                        byte[] value = db.get(write.key().getBytes(StandardCharsets.ISO_8859_1));
                        String got = value == null ? null : new String(value, StandardCharsets.ISO_8859_1);
                        if (!readError && !java.util.Objects.equals(got, seen.get(write.key()))) {
                            return new CaseResult(Outcome.WRONG_VALUE, "get(" + write.key() + ") = " + got
                                    + " but the scan gave " + seen.get(write.key()));
                        }
                        if (readError && got != null && !valueEverWritten(store, write.key(), got)) {
                            return new CaseResult(Outcome.WRONG_VALUE, "get(" + write.key() + ") = " + got
                                    + ", never written");
                        }
                    } catch (IOException e) {
                        if (!named(e, dir)) {
                            return new CaseResult(Outcome.UNNAMED_ERROR, e.toString());
                        }
                        firstReadError = readError ? firstReadError : e.toString();
                        readError = true;
                    }
                }
            }
            if (readError) {
                return new CaseResult(Outcome.READ_ERROR, firstReadError);
            }
            int prefix = matchingPrefix(store.writes(), seen);
            if (prefix < 0) {
                return new CaseResult(Outcome.WRONG_VALUE, "the store holds a state no prefix of the writes gives: "
                        + differences(store.writes(), seen));
            }
            if (prefix == store.writes().size() || sameState(store.writes(), prefix, store.writes().size())) {
                return new CaseResult(Outcome.INTACT, "");
            }
            boolean kept = Files.isDirectory(dir.resolve(LostFolder.NAME))
                    && !readDirectory(dir.resolve(LostFolder.NAME)).isEmpty();
            if (kept) {
                return new CaseResult(Outcome.ROLLED_BACK_FILES_KEPT, "prefix " + prefix);
            }
            // Nothing kept: then the writes after the prefix must not be in the damaged files at
            // all (say, a log cut exactly between two records), or recovery deleted them.
            int inFiles = prefixReadableSkippingDamage(store, files);
            return inFiles >= 0 && inFiles <= prefix
                    ? new CaseResult(Outcome.ROLLED_BACK_BY_THE_DAMAGE, "prefix " + prefix)
                    : new CaseResult(Outcome.ROLLED_BACK_FILES_DELETED, "rolled back to write " + prefix + " of "
                            + store.writes().size() + ", the damaged files hold " + inFiles
                            + ", and nothing kept in lost/");
        }
    }

    /**
     * The prefix of the writes that {@code files} still hold, read in a copy that skips every
     * damaged record; -1 when that does not open or gives no prefix.
     */
    private static int prefixReadableSkippingDamage(Store store, Map<String, byte[]> files) throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/copy");
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(dir.resolve(file.getKey()), file.getValue());
            }
            Map<String, String> seen = new TreeMap<>();
            try (Db db = Db.openReadOnly(dir, Options.defaults()
                    .withWalRecoveryMode(org.lsmtree.wal.WalRecoveryMode.SKIP_ANY_CORRUPTED))) {
                scan(db, seen, true);
            } catch (IOException e) {
                return -1;
            }
            return matchingPrefix(store.writes(), seen);
        }
    }

    /**
     * Runs the verifier of every file's kind; they may report problems, never fail otherwise.
     * Returns whether any reported a problem or stopped with an {@link IOException}.
     */
    private static boolean runVerifiers(Path dir, Iterable<String> names) throws IOException {
        NioStorage storage = NioStorage.of(dir.getFileSystem());
        boolean found = false;
        for (String name : names) {
            Path file = dir.resolve(name);
            try {
                if (name.endsWith(".ldb") || name.endsWith(".sst")) {
                    found |= !new SstableVerifier(org.lsmtree.sstable.TableOptions.defaults()).verify(storage, file)
                            .isClean();
                } else if (name.endsWith(".log")) {
                    found |= !new WalVerifier().verify(storage, file).isClean();
                } else if (name.startsWith("MANIFEST-")) {
                    found |= !new ManifestVerifier().verify(storage, file).isClean();
                }
            } catch (IOException e) {
                found = true; // a verifier may stop at what it cannot read; an IOException is a typed answer
            }
        }
        return found;
    }

    private static boolean named(IOException e, Path dir) {
        String message = String.valueOf(e.getMessage());
        return message.contains(dir.toString());
    }

    private static void scan(Db db, Map<String, String> seen, boolean forward) throws IOException {
        try (DbIterator it = db.iterator(ReadOptions.defaults())) {
            if (forward) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    seen.put(text(it.key()), text(it.value()));
                }
            } else {
                for (it.seekToLast(); it.isValid(); it.prev()) {
                    seen.put(text(it.key()), text(it.value()));
                }
            }
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static boolean valueEverWritten(Store store, String key, String value) {
        return store.writes().stream().anyMatch(w -> w.key().equals(key) && value.equals(w.value()));
    }

    /** The largest p such that the writes' first p give exactly {@code seen}, or -1. */
    static int matchingPrefix(List<Write> writes, Map<String, String> seen) {
        long target = 0;
        for (Map.Entry<String, String> entry : seen.entrySet()) {
            target += entryHash(entry.getKey(), entry.getValue());
        }
        Map<String, String> state = new TreeMap<>();
        long hash = 0;
        List<Integer> candidates = new ArrayList<>();
        if (hash == target) {
            candidates.add(0);
        }
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            String old = write.value() == null ? state.remove(write.key()) : state.put(write.key(), write.value());
            if (old != null) {
                hash -= entryHash(write.key(), old);
            }
            if (write.value() != null) {
                hash += entryHash(write.key(), write.value());
            }
            if (hash == target) {
                candidates.add(i + 1);
            }
        }
        for (int c = candidates.size() - 1; c >= 0; c--) {
            if (stateAfter(writes, candidates.get(c)).equals(seen)) {
                return candidates.get(c);
            }
        }
        return -1;
    }

    /** The prefix closest to {@code seen} and a few keys that differ from it, with the writes of each. */
    private static String differences(List<Write> writes, Map<String, String> seen) {
        int best = 0;
        int fewest = Integer.MAX_VALUE;
        for (int p = 0; p <= writes.size(); p += Math.max(1, writes.size() / 400)) {
            int differing = diff(stateAfter(writes, p), seen).size();
            if (differing < fewest) {
                fewest = differing;
                best = p;
            }
        }
        List<String> diffs = new ArrayList<>();
        for (String key : diff(stateAfter(writes, best), seen)) {
            if (diffs.size() == 4) {
                break;
            }
            List<Integer> at = new ArrayList<>();
            int servedAt = -1;
            for (int i = 0; i < writes.size(); i++) {
                if (writes.get(i).key().equals(key)) {
                    at.add(i);
                    if (java.util.Objects.equals(writes.get(i).value(), seen.get(key))) {
                        servedAt = i;
                    }
                }
            }
            diffs.add(HEX.formatHex(key.getBytes(StandardCharsets.ISO_8859_1)) + " written at " + at
                    + ", served the write at " + servedAt);
        }
        return "closest prefix " + best + " of " + writes.size() + " differs in " + fewest + " keys: " + diffs;
    }

    private static java.util.Set<String> diff(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        keys.removeIf(key -> java.util.Objects.equals(a.get(key), b.get(key)));
        return keys;
    }

    private static boolean sameState(List<Write> writes, int a, int b) {
        return stateAfter(writes, a).equals(stateAfter(writes, b));
    }

    private static Map<String, String> stateAfter(List<Write> writes, int count) {
        Map<String, String> state = new TreeMap<>();
        for (Write write : writes.subList(0, count)) {
            if (write.value() == null) {
                state.remove(write.key());
            } else {
                state.put(write.key(), write.value());
            }
        }
        return state;
    }

    private static long entryHash(String key, String value) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L + value.hashCode();
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    /** Applies {@code mutation} to {@code file} of {@code files}; returns what it did, in words. */
    static String mutate(Map<String, byte[]> files, String file, Mutation mutation, SplittableRandom random,
            List<long[]> dataBlocks) {
        byte[] bytes = files.get(file);
        int n = bytes.length;
        if (n == 0) {
            files.put(file, new byte[] {(byte) random.nextInt(256)});
            return "an empty file given one byte";
        }
        int at = random.nextInt(n);
        int length = Math.min(n - at, 1 + random.nextInt(random.nextInt(4) == 0 ? 4096 : 16));
        byte[] out;
        String how;
        switch (mutation) {
            case BIT_FLIP -> {
                out = bytes.clone();
                int bit = random.nextInt(8);
                out[at] ^= (byte) (1 << bit);
                how = "bit " + bit + " of byte " + at + " flipped";
            }
            case OVERWRITE -> {
                out = bytes.clone();
                for (int i = 0; i < length; i++) {
                    out[at + i] = (byte) random.nextInt(256);
                }
                how = length + " bytes at " + at + " overwritten";
            }
            case ZEROED_RUN -> {
                out = bytes.clone();
                java.util.Arrays.fill(out, at, at + length, (byte) 0);
                how = length + " bytes at " + at + " zeroed";
            }
            case TRUNCATION -> {
                out = java.util.Arrays.copyOf(bytes, at);
                how = "cut to " + at + " bytes";
            }
            case INSERTION -> {
                byte[] inserted = new byte[length];
                for (int i = 0; i < length; i++) {
                    inserted[i] = (byte) random.nextInt(256);
                }
                out = new byte[n + length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(inserted, 0, out, at, length);
                System.arraycopy(bytes, at, out, at + length, n - at);
                how = length + " bytes inserted at " + at;
            }
            case DELETION -> {
                out = new byte[n - length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + length, out, at, n - at - length);
                how = length + " bytes deleted at " + at;
            }
            case SWAPPED_BLOCKS -> {
                out = bytes.clone();
                long[][] pair = equalSizeBlocks(dataBlocks, random);
                int a;
                int b;
                int size;
                if (pair != null) { // two data blocks of one size, trailers included: both checksums stay valid
                    a = (int) pair[0][0];
                    b = (int) pair[1][0];
                    size = (int) pair[0][1];
                } else { // two equal regions anywhere (32 KiB log blocks when the file has them)
                    size = n >= 2 * 32768 && random.nextBoolean() ? 32768 : Math.max(1, Math.min(n / 2, length));
                    a = random.nextInt(n / size) * (size == 32768 ? size : 1);
                    b = random.nextInt(n / size) * (size == 32768 ? size : 1);
                    a = Math.min(a, n - size);
                    b = Math.min(b, n - size);
                }
                byte[] first = java.util.Arrays.copyOfRange(out, a, a + size);
                System.arraycopy(bytes, b, out, a, size);
                System.arraycopy(first, 0, out, b, size);
                how = size + "-byte blocks at " + a + " and " + b + " swapped";
            }
            case COPIED_REGION -> {
                out = bytes.clone();
                int to = random.nextInt(n - length + 1);
                System.arraycopy(bytes, at, out, to, length);
                how = length + " bytes from " + at + " copied over " + to;
            }
            default -> throw new AssertionError(mutation);
        }
        files.put(file, out);
        return how;
    }

    private static long[][] equalSizeBlocks(List<long[]> blocks, SplittableRandom random) {
        if (blocks == null || blocks.size() < 2) {
            return null;
        }
        for (int tries = 0; tries < 20; tries++) {
            long[] a = blocks.get(random.nextInt(blocks.size()));
            long[] b = blocks.get(random.nextInt(blocks.size()));
            if (a != b && a[1] == b[1]) {
                return new long[][] {a, b};
            }
        }
        return null;
    }

    static String kindOf(String name) {
        if (name.endsWith(".ldb") || name.endsWith(".sst")) {
            return "table";
        }
        if (name.endsWith(".log")) {
            return "WAL";
        }
        return name.startsWith("MANIFEST-") ? "MANIFEST" : name;
    }

    private static <R> String render(String title, Map<R, Map<Outcome, Integer>> rows) {
        StringBuilder text = new StringBuilder(title).append('\n');
        text.append(String.format("%-16s", ""));
        for (Outcome outcome : Outcome.values()) {
            text.append(String.format(" %s", abbreviation(outcome)));
        }
        text.append('\n');
        Map<Outcome, Integer> totals = new EnumMap<>(Outcome.class);
        for (Map.Entry<R, Map<Outcome, Integer>> row : rows.entrySet()) {
            text.append(String.format("%-16s", row.getKey()));
            for (Outcome outcome : Outcome.values()) {
                int count = row.getValue().getOrDefault(outcome, 0);
                totals.merge(outcome, count, Integer::sum);
                text.append(String.format(" %" + abbreviation(outcome).length() + "d", count));
            }
            text.append('\n');
        }
        text.append(String.format("%-16s", "total"));
        for (Outcome outcome : Outcome.values()) {
            text.append(String.format(" %" + abbreviation(outcome).length() + "d", totals.getOrDefault(outcome, 0)));
        }
        return text.append('\n').toString();
    }

    private static String abbreviation(Outcome outcome) {
        return switch (outcome) {
            case INTACT -> "intact";
            case ROLLED_BACK_FILES_KEPT -> "prefix+lost/";
            case ROLLED_BACK_BY_THE_DAMAGE -> "prefix(cut)";
            case REFUSED_AT_OPEN -> "refused";
            case READ_ERROR -> "read-error";
            case WRONG_VALUE -> "WRONG";
            case ROLLED_BACK_FILES_DELETED -> "PREFIX-DELETED";
            case REFUSAL_CHANGED_FILES -> "REFUSAL-CHANGED";
            case UNNAMED_ERROR -> "UNNAMED";
            case UNTYPED_EXCEPTION -> "UNTYPED";
            case OUT_OF_MEMORY -> "OOM";
            case HANG -> "HANG";
        };
    }

    static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mutation-case");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The regular files directly in {@code dir}, name to content. */
    static Map<String, byte[]> readDirectory(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path path : list.toList()) {
                if (Files.isRegularFile(path)) {
                    files.put(path.getFileName().toString(), Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    private static boolean sameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> entry : a.entrySet()) {
            if (!java.util.Arrays.equals(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // The stores

    /** Writes of a small history: overwrites, deletes and binary keys, values of several sizes. */
    static List<Write> history(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "key" + String.format("%04d", random.nextInt(400))
                    + (random.nextInt(10) == 0 ? "\u0000\u00ff" : "");
            if (random.nextInt(6) == 0) {
                writes.add(new Write(key, null));
            } else {
                int size = random.nextInt(20) == 0 ? 1000 + random.nextInt(3000) : random.nextInt(120);
                StringBuilder value = new StringBuilder("v" + i + ":");
                while (value.length() < size) {
                    value.append((char) ('a' + random.nextInt(26)));
                }
                writes.add(new Write(key, value.toString()));
            }
        }
        return writes;
    }

    /**
     * Ours: tables on levels 0 and 1 (flushes, then a compaction, then more flushes), a live WAL
     * of more than two 32 KiB blocks, a MANIFEST of several edits, CURRENT.
     */
    private static Store ourStore() throws IOException {
        List<Write> writes = history(42, 1600);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Options options = Options.defaults().withWriteBufferSize(40 << 10).withBlockSize(512);
            try (Db db = Db.open(dir, options)) {
                for (int i = 0; i < writes.size(); i++) {
                    apply(db, writes.get(i));
                    if (i == 500) {
                        db.compactRange(null, null);
                    }
                }
            }
            // Reopening with a larger buffer keeps the last writes in a multi-block WAL.
            List<Write> tail = history(43, 500);
            try (Db db = Db.open(dir, options.withWriteBufferSize(1 << 20))) {
                for (Write write : tail) {
                    apply(db, write);
                }
            }
            List<Write> all = new ArrayList<>(writes);
            all.addAll(tail);
            Map<String, byte[]> files = readDirectory(dir);
            files.remove("LOCK");
            assertThat(files.keySet()).anyMatch(name -> name.endsWith(".log"));
            assertThat(files.entrySet().stream().filter(e -> e.getKey().endsWith(".log"))
                    .mapToInt(e -> e.getValue().length).max().orElse(0)).isGreaterThan(2 * 32768);
            return new Store("our store", files, all, dataBlocks(dir, files));
        }
    }

    /**
     * C++ LevelDB 1.23's store of the same kind, Snappy-compressed as LevelDB writes by default:
     * a buffer no load fills and explicit flushes and one compaction, so that no background
     * compaction runs and the files are the same on every run (a seed replays the same bytes).
     */
    private static Store cppStore() throws IOException {
        List<Write> writes = history(44, 2000);
        Path dir = Path.of("target", "mutation", "cpp-store-" + ProcessHandle.current().pid());
        Files.createDirectories(dir.getParent());
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path path : old.toList()) {
                    Files.delete(path);
                }
            }
        }
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            String key = HEX.formatHex(write.key().getBytes(StandardCharsets.ISO_8859_1));
            if (write.value() == null) {
                input.append("D ").append(key).append('\n');
            } else {
                String value = write.value().isEmpty() ? "." : HEX.formatHex(write.value().getBytes(StandardCharsets.ISO_8859_1));
                input.append("P ").append(key).append(' ').append(value).append('\n');
            }
            if (i == 500) {
                input.append("C\n"); // one table at the deepest level
            } else if (i == 900 || i == 1300) {
                input.append("F\n"); // a table on level 1, then one on level 0
            }
        }
        NativeLevelDb driver = NativeLevelDb.storeDriver(Path.of("target", "native"));
        NativeLevelDb.Result result = driver.run(input.toString().getBytes(StandardCharsets.US_ASCII), "load",
                dir.toString(), Integer.toString(8 << 20));
        assertThat(result.exitCode()).as(result.stderrText()).isZero();
        Map<String, byte[]> files = readDirectory(dir);
        Map<String, List<long[]>> blocks = dataBlocks(dir, files);
        for (String name : readDirectory(dir).keySet()) {
            Files.delete(dir.resolve(name));
        }
        Files.delete(dir);
        files.keySet().removeIf(name -> name.equals("LOCK") || name.equals("LOG") || name.equals("LOG.old"));
        assertThat(files.keySet().stream().filter(name -> name.endsWith(".ldb"))).hasSizeGreaterThanOrEqualTo(3);
        assertThat(files.entrySet().stream().filter(e -> e.getKey().endsWith(".log"))
                .mapToInt(e -> e.getValue().length).max().orElse(0)).isGreaterThan(2 * 32768);
        return new Store("C++ LevelDB store", files, writes, blocks);
    }

    static void apply(Db db, Write write) throws IOException {
        byte[] key = write.key().getBytes(StandardCharsets.ISO_8859_1);
        if (write.value() == null) {
            db.delete(key);
        } else {
            db.put(key, write.value().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Each table's data blocks as {offset, size with trailer}. */
    static Map<String, List<long[]>> dataBlocks(Path dir, Map<String, byte[]> files) throws IOException {
        Map<String, List<long[]>> blocks = new TreeMap<>();
        NioStorage storage = NioStorage.of(dir.getFileSystem());
        for (String name : files.keySet()) {
            if (name.endsWith(".ldb") || name.endsWith(".sst")) {
                List<long[]> list = new ArrayList<>();
                for (TableLayout.BlockInfo block : TableLayout.read(storage, dir.resolve(name)).dataBlocks()) {
                    list.add(new long[] {block.offset(), block.size() + 5});
                }
                blocks.put(name, list);
            }
        }
        LOG.debug("data blocks of {} tables", blocks.size());
        return blocks;
    }
}
