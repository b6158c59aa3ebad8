package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;
import org.lsmtree.engine.WriteOptions;
import org.lsmtree.format.FileNames;
import org.lsmtree.testing.TortureReport;

/**
 * Real process crashes: a child JVM ({@link Writer}) opens a store on the real file system with a
 * 8 KiB write buffer (flushes and background compactions on the store's own threads all the
 * time), writes synced batches ({@link SeededBatches}, numbered) and prints {@code ack N} after
 * each returns; the parent kills it with SIGKILL ({@link ProcessHandle#destroyForcibly()}) after a
 * seeded random number of acknowledgements and a seeded random pause, or (one kill in four) a
 * seeded pause after it started opening the store, so that some kills land in its recovery
 * (replaying the last child's log into a table, a new MANIFEST and CURRENT); it reads every
 * acknowledgement it printed, and checks the killed store: {@code lsm verify} reports no problem
 * in it as the kill left it (leftovers a reopen deletes are warnings), it opens, it holds every
 * acknowledged batch and at most the one batch in flight besides, whole ({@link ExpectedState}),
 * and after the reopen {@code lsm verify} is clean again. The next child goes on writing the
 * same store from the first batch it does not hold.
 *
 * <p>20 kills by default; {@code -Ptorture} sets {@code lsm.process.kills} to 500. The seed is
 * printed; {@code -Dlsm.process.seed=S} replays its choices of when to kill (the moment a kill
 * lands in the child still depends on the machine).
 */
class ProcessKillTortureTest {
    private static final int KILLS = Integer.getInteger("lsm.process.kills", 20);
    private static final int KEYS = 300;
    private static final Pattern ACK = Pattern.compile("ack (\\d+)");
    private static final String KILLS_FIGURE = "process kills (SIGKILL)";
    private static final String DURING_OPEN = "kills before the writer's open finished";
    private static final String DURING_CREATION = "kills during the store's creation (no CURRENT yet)";
    private static final String ACKED = "batches acknowledged";
    private static final String UNFINISHED = "tables a kill left unfinished (verify warnings)";
    private static final String IN_FLIGHT = "batches in flight at the kill found whole";
    private static final String VERIFIED = "lsm verify runs, all clean";

    @TempDir
    Path temp;

    @Test
    void killedWhileFlushingAndCompactingTheStoreKeepsEveryAcknowledgedBatchAndVerifiesClean() throws Exception {
        long seed = Long.getLong("lsm.process.seed", System.nanoTime());
        System.out.println("ProcessKillTortureTest: seed " + seed + " (replay: -Dlsm.process.seed=" + seed + ")");
        Random random = new Random(seed);
        Path store = temp.resolve("db");
        TortureReport report = new TortureReport("ProcessKillTortureTest");
        for (String figure : List.of(KILLS_FIGURE, DURING_OPEN, DURING_CREATION, ACKED, UNFINISHED, IN_FLIGHT, VERIFIED,
                TortureReport.ACKED_WRITES_LOST, TortureReport.KEYS_RESURRECTED)) {
            report.add(figure, 0);
        }
        ExpectedState expected = new ExpectedState();
        long next = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            String context = "seed " + seed + ", kill " + kill;
            Path log = temp.resolve("writer-" + kill + ".log");
            boolean duringOpen = random.nextInt(4) == 0;
            Killed killedAt = duringOpen ? runAndKill(store, seed, next, 0, random.nextInt(200), log, context)
                    : runAndKill(store, seed, next, 1 + random.nextInt(150), random.nextInt(40), log, context);
            long last = killedAt.last();
            report.add(DURING_OPEN, killedAt.opened() ? 0 : 1);
            for (long index = next; index <= last; index++) {
                expected.issued(SeededBatches.batch(seed, index, KEYS), ExpectedState.Outcome.ACKNOWLEDGED);
            }
            report.add(ACKED, last - next + 1);
            report.count(KILLS_FIGURE);
            expected.issued(SeededBatches.batch(seed, last + 1, KEYS), ExpectedState.Outcome.UNCERTAIN);

            if (Files.exists(store.resolve("CURRENT"))) {
                CliRun killed = CliRun.run("", "verify", store.toString());
                assertThat(killed.exitCode()).as("%s: lsm verify of the killed store: %s", context, killed.stdout())
                        .isEqualTo(ExitCodes.OK);
                report.add(UNFINISHED, count(killed.stdout(), "ORPHAN_TABLE"));
                report.count(VERIFIED);
            } else { // killed while creating the store: no open ever finished, so nothing was written
                assertThat(last).as(context).isEqualTo(-1);
                report.count(DURING_CREATION);
            }

            TreeMap<String, String> held;
            try (Db db = Db.open(store, Options.defaults())) {
                held = SeededBatches.scan(db);
            }
            ExpectedState.Comparison comparison = expected.check(held);
            report.add(TortureReport.ACKED_WRITES_LOST, comparison.lostWrites());
            report.add(TortureReport.KEYS_RESURRECTED, comparison.resurrectedKeys());
            assertThat(comparison.mismatch()).as(context).isNull();
            boolean inFlightKept = !held.equals(expected.acknowledged());
            expected.settle(inFlightKept);
            report.add(IN_FLIGHT, inFlightKept ? 1 : 0);
            next = inFlightKept ? last + 2 : last + 1;

            CliRun reopened = CliRun.run("", "verify", store.toString());
            assertThat(reopened.exitCode()).as("%s: lsm verify after reopening: %s", context, reopened.stdout())
                    .isEqualTo(ExitCodes.OK);
            assertThat(reopened.stdout()).as(context).contains(", 0 problems");
            report.count(VERIFIED);
        }
        report.add(TortureReport.STATES_CHECKED, KILLS);
        long lastFileNumber;
        try (Stream<Path> files = Files.list(store)) {
            lastFileNumber = files.map(FileNames::parse).flatMap(Optional::stream).mapToLong(FileNames.Parsed::number)
                    .max().orElse(0);
        }
        report.add("file numbers used (logs, tables, MANIFESTs)", lastFileNumber);
        System.out.print(report.render());
        assertThat(report.get(ACKED)).isGreaterThanOrEqualTo(KILLS);
        assertThat(lastFileNumber).as("flushes and compactions ran: many files were written").isGreaterThan(3L * KILLS);
    }

    /** What a killed writer printed: the last batch it acknowledged, and whether its open had finished. */
    private record Killed(long last, boolean opened) {}

    /**
     * Starts a writer at batch {@code first} and kills it once it acknowledged {@code acks}
     * batches and {@code pauseMillis} more passed; with {@code acks} 0, {@code pauseMillis} after
     * it started opening the store (the kill may land in its recovery).
     */
    private static Killed runAndKill(Path store, long seed, long first, int acks, int pauseMillis, Path log,
            String context) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Writer.class.getName(), store.toString(), Long.toString(seed),
                Long.toString(first)).redirectError(log.toFile()).start();
        Killed seen = new Killed(first - 1, false);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            try {
                assertThat(out.readLine()).as(context).isEqualTo("opening");
                while (seen.last() - first + 1 < acks) {
                    String line = out.readLine();
                    assertThat(line).as("%s: the writer ended early; its log %s: %s", context, log,
                            Files.exists(log) ? Files.readString(log) : "").isNotNull();
                    seen = next(seen, line, context);
                }
                Thread.sleep(pauseMillis);
            } finally {
                // SIGKILL: no close, no flush of anything unsynced. Through the handle, which,
                // unlike Process.destroyForcibly(), leaves its output readable to the end.
                child.toHandle().destroyForcibly();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(context).isTrue();
            }
            for (String line = out.readLine(); line != null; line = out.readLine()) { // printed before it died
                seen = next(seen, line, context);
            }
        }
        return seen;
    }

    private static Killed next(Killed seen, String line, String context) {
        if (line.equals("opened")) {
            assertThat(seen.opened()).as(context).isFalse();
            return new Killed(seen.last(), true);
        }
        Matcher ack = ACK.matcher(line);
        assertThat(ack.matches()).as("%s: a line of the writer: %s", context, line).isTrue();
        long index = Long.parseLong(ack.group(1));
        assertThat(seen.opened()).as(context).isTrue();
        assertThat(index).as(context).isEqualTo(seen.last() + 1);
        return new Killed(index, true);
    }

    private static long count(String text, String word) {
        return text.split(Pattern.quote(word), -1).length - 1;
    }

    /**
     * Run in a child JVM: arguments store, seed, first batch. Opens the store with a small write
     * buffer and writes synced batches from the first on, printing {@code ack N} once batch N is
     * durable, until killed.
     */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            Path store = Path.of(args[0]);
            long seed = Long.parseLong(args[1]);
            PrintStream out = System.out;
            Options options = Options.defaults().withWriteBufferSize(8 << 10).withTargetFileSize(8 << 10)
                    .withLevelSizes(32 << 10, 4);
            out.println("opening");
            out.flush();
            try (Db db = Db.open(store, options)) {
                out.println("opened");
                out.flush();
                for (long index = Long.parseLong(args[2]); ; index++) {
                    Map<String, String> batch = SeededBatches.batch(seed, index, KEYS);
                    db.write(SeededBatches.toWriteBatch(batch), WriteOptions.sync());
                    out.println("ack " + index);
                    out.flush();
                }
            }
        }
    }
}
