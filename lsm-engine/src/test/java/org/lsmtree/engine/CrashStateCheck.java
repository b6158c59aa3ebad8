package org.lsmtree.engine;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestFormat;
import org.lsmtree.manifest.ManifestVerifier;
import org.lsmtree.sstable.SstableVerifier;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.testing.CrashMode;
import org.lsmtree.testing.CrashSimulatingStorage;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.TortureReport;
import org.lsmtree.wal.WalVerifier;

/**
 * Checks one crash state of a {@link CrashWorkload} against its {@link ExpectedState}: the store
 * opens with the workload's options and no repair; a full scan (checksums verified) and a lookup
 * of every key the workload wrote agree with each other and with the model after some allowed
 * prefix of the writes; it takes a synced write and reads it back; once closed, the MANIFEST
 * (with {@code CURRENT}, missing and unreferenced files), every live table and every live WAL
 * verify clean. Leftovers a later open deletes (unreferenced tables, logs, MANIFESTs, temporary
 * files) are not damage.
 *
 * <p>The bounds come from the oracle at the moment of the crash ({@link #boundsFor}): every write
 * acknowledged as synced must be there; after a {@link CrashMode#PROCESS_CRASH}, which keeps what
 * was handed to the OS, every acknowledged write.
 *
 * <p>{@link #checkWithCrashesDuringRecovery} also crashes that reopen after each of its storage
 * operations, in every model, and checks each such state the same way (against the same bounds:
 * an interrupted open acknowledged nothing).
 *
 * <p>A state equal to one checked before (same files, same bytes, same bounds) is counted, not
 * reopened again: recovery is deterministic. Failures are collected (the first of each kind in
 * full) rather than thrown, so that the figures count every state; the suite fails at the end
 * when there is any. Counts go to a {@link TortureReport}. Not thread-safe.
 */
final class CrashStateCheck {
    static final int MAX_FAILURES = 10;
    static final String STATES = TortureReport.STATES_CHECKED;
    static final String RECOVERY_POINTS = "crash points during recovery, ";
    static final String REPEATED = "crash states equal to one checked before";
    static final String NOT_A_PREFIX = "states not a prefix of the writes";
    static final String THREW = "states whose reopen or check threw";
    static final String NOT_CLEAN = "states that did not verify clean";
    static final String NO_NEW_WRITES = "states that took no new write";
    private static final Set<String> LEFTOVER_KINDS = Set.of("ORPHAN_TABLE", "ORPHAN_LOG", "ORPHAN_MANIFEST",
            "ORPHAN_TEMP");
    private static final byte[] NEW_KEY = DbOpenAndWriteTest.b("zz-written-after-the-crash");

    private final ExpectedState oracle;
    private final TortureReport report;
    private final List<String> failures = new ArrayList<>();
    private final Set<String> kinds = new java.util.HashSet<>();
    private final Set<HashCode> seen = new java.util.HashSet<>();
    private long failed;

    CrashStateCheck(ExpectedState oracle, TortureReport report) {
        this.oracle = oracle;
        this.report = report;
    }

    /** The first failure of each kind so far (up to {@value #MAX_FAILURES}), each naming its state. */
    List<String> failures() {
        return failures;
    }

    long failed() {
        return failed;
    }

    /** The bounds a crash in {@code mode} must meet, from those of the moment of the crash. */
    static ExpectedState.Bounds boundsFor(CrashMode mode, ExpectedState.Bounds bounds) {
        return mode == CrashMode.PROCESS_CRASH ? bounds.processCrash() : bounds;
    }

    /**
     * Checks the state in {@code crashed}, unless the same files (names and bytes) were checked
     * against the same bounds before (a crash right after an append that is still in the
     * process's buffer, or a model that changes nothing at this point, leaves the state of an
     * earlier one); {@code context} names it in a failure.
     */
    void check(CrashSimulatingStorage crashed, ExpectedState.Bounds bounds, String context) {
        try {
            if (!seen.add(fingerprint(crashed, bounds))) {
                report.count(REPEATED);
                closeQuietly(crashed);
                return;
            }
        } catch (IOException e) {
            fail(context, "could not read the crash state: " + e);
            return;
        }
        checkOnce(crashed, bounds, context, new long[] {-1});
    }

    /**
     * Checks the state in {@code crashed} as {@link #check} does, after checking the state a crash
     * after each storage operation of its reopen would leave, in every model ({@code seed} drives
     * the random ones).
     */
    void checkWithCrashesDuringRecovery(CrashSimulatingStorage crashed, ExpectedState.Bounds bounds, String context,
            long seed) {
        long[] opened = {-1};
        crashed.afterEachOperation(operation -> {
            if (opened[0] >= 0) {
                return; // the reopen is done; the checks after it are not recovery
            }
            for (CrashMode mode : CrashMode.values()) {
                String nested = context + ", then crash after operation " + operation + " of the reopen ("
                        + last(crashed) + "), " + mode + ", seed " + seed;
                report.count(RECOVERY_POINTS + mode);
                try {
                    check(crashed.afterCrash(mode, seed), bounds, nested); // the first crash set the bounds
                } catch (IOException e) {
                    fail(nested, "could not build the crash state: " + e);
                }
            }
        });
        checkOnce(crashed, bounds, context, opened);
    }

    /** Reopens and checks the state in {@code crashed}, then closes it; {@code opened} as {@link #reopenAndCheck}. */
    private void checkOnce(CrashSimulatingStorage crashed, ExpectedState.Bounds bounds, String context, long[] opened) {
        report.count(STATES);
        try {
            String problem = reopenAndCheck(crashed, bounds, opened);
            if (problem != null) {
                fail(context, problem);
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            report.count(THREW);
            fail(context, e.toString());
        } finally {
            closeQuietly(crashed);
        }
    }

    /** Null when the state passes, else what is wrong; {@code opened[0]} is set once the open returned. */
    private String reopenAndCheck(CrashSimulatingStorage crashed, ExpectedState.Bounds bounds, long[] opened)
            throws IOException {
        Path dir = crashed.path(CrashWorkload.DIRECTORY);
        Options options = CrashWorkload.options(crashed, new ManualExecutor(0));
        Map<String, String> found = new TreeMap<>();
        try (Db db = Db.open(dir, options)) {
            opened[0] = crashed.operationCount();
            try (DbIterator it = db.iterator(ReadOptions.defaults().withVerifiedChecksums())) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    found.put(DbOpenAndWriteTest.s(it.key()), DbOpenAndWriteTest.s(it.value()));
                }
            }
            for (String key : oracle.keys()) {
                byte[] value = db.get(DbOpenAndWriteTest.b(key));
                String scanned = found.get(key);
                if (value == null ? scanned != null : !DbOpenAndWriteTest.s(value).equals(scanned)) {
                    report.count(NOT_A_PREFIX);
                    return "get(" + key + ") is " + (value == null ? null : DbOpenAndWriteTest.s(value))
                            + " but the scan found " + scanned;
                }
            }
            if (oracle.matchingPrefix(found, bounds) < 0) {
                ExpectedState.Violations violations = oracle.violations(found, bounds);
                report.count(NOT_A_PREFIX);
                report.add(TortureReport.ACKED_WRITES_LOST, violations.lost().size());
                report.add(TortureReport.KEYS_RESURRECTED, violations.resurrected().size());
                return "the store is the model after no prefix of the writes (" + bounds + "): " + violations;
            }
            db.put(NEW_KEY, NEW_KEY, WriteOptions.sync());
            byte[] back = db.get(NEW_KEY);
            if (back == null || !java.util.Arrays.equals(back, NEW_KEY)) {
                report.count(NO_NEW_WRITES);
                return "a write after the reopen reads back as " + (back == null ? null : DbOpenAndWriteTest.s(back));
            }
        }
        String dirty = verify(crashed, dir);
        if (dirty != null) {
            report.count(NOT_CLEAN);
            return "after the reopen and a write, the store does not verify clean: " + dirty;
        }
        return null;
    }

    /** Null when the store in {@code dir} verifies clean (leftovers aside), else its problems. */
    static String verify(CrashSimulatingStorage storage, Path dir) throws IOException {
        ManifestVerifier.Outcome outcome = new ManifestVerifier().verifyStore(storage, dir);
        List<String> problems = new ArrayList<>();
        outcome.report().problems().stream().filter(p -> !LEFTOVER_KINDS.contains(p.kind()))
                .forEach(p -> problems.add(outcome.report().file() + ": " + p));
        LevelState state = outcome.state();
        if (state != null) {
            for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
                for (FileMetadata file : state.files(level)) {
                    Path table = FileNames.tableFile(dir, file.number());
                    if (storage.exists(table)) {
                        addProblems(new SstableVerifier(TableOptions.defaults()).verify(storage, table), problems);
                    }
                }
            }
            for (Path path : storage.list(dir)) {
                FileNames.parse(path.getFileName().toString()).ifPresent(parsed -> {
                    if (parsed.type() == org.lsmtree.format.FileType.LOG && parsed.number() >= state.logNumber()) {
                        try {
                            addProblems(new WalVerifier().verify(storage, path), problems);
                        } catch (IOException e) {
                            problems.add(path + ": " + e);
                        }
                    }
                });
            }
        }
        return problems.isEmpty() ? null : problems.toString();
    }

    /** A digest of the bounds and of every file under the store's directory: its path and bytes. */
    private static HashCode fingerprint(CrashSimulatingStorage storage, ExpectedState.Bounds bounds) throws IOException {
        Hasher hasher = Hashing.murmur3_128().newHasher().putString(bounds.toString(), StandardCharsets.UTF_8);
        Deque<Path> pending = new ArrayDeque<>(List.of(storage.path(CrashWorkload.DIRECTORY)));
        List<Path> files = new ArrayList<>();
        while (!pending.isEmpty()) {
            Path path = pending.pop();
            if (Files.isDirectory(path)) {
                pending.addAll(storage.list(path));
            } else {
                files.add(path);
            }
        }
        files.sort(null);
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            hasher.putString(file.toString(), StandardCharsets.UTF_8).putInt(content.length).putBytes(content);
        }
        return hasher.hash();
    }

    private static void addProblems(VerificationReport verification, List<String> problems) {
        verification.problems().forEach(p -> problems.add(verification.file() + ": " + p));
    }

    /** Keeps the first failure of each kind (its reason without numbers), up to {@value #MAX_FAILURES}. */
    private void fail(String context, String reason) {
        failed++;
        if (failures.size() < MAX_FAILURES && kinds.add(reason.replaceAll("0x[0-9a-f]+|[0-9]+", "N"))) {
            failures.add(context + ": " + reason);
        }
    }

    private static String last(CrashSimulatingStorage storage) {
        List<String> log = storage.operationLog();
        return log.isEmpty() ? "none" : log.get(log.size() - 1);
    }

    private static void closeQuietly(CrashSimulatingStorage storage) {
        try {
            storage.close();
        } catch (IOException ignored) {
            // a jimfs file system in memory; nothing to lose
        }
    }
}
