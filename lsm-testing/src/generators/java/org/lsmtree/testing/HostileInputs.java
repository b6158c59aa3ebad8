package org.lsmtree.testing;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Feeds one decoder random and mutated inputs from seeded generators and checks that it only
 * ever accepts an input or rejects it with the one exception type its contract names (for our
 * codecs {@code CorruptionException}): any other exception, an {@link OutOfMemoryError} (the
 * hostile-input tests run in a JVM of 64 MiB, so an allocation sized from a damaged length shows)
 * or a case running longer than {@value #CASE_TIMEOUT_MILLIS} ms fails the run, naming the case's
 * seed and input.
 *
 * <p>Each input is one of: random bytes ({@link SeededRandom#anyBytes}); a sample of the
 * decoder's well-formed corpus with one to four mutations (bit flips, bytes set to 0x00, 0x7f,
 * 0x80 or 0xff, little-endian ints and varints of 2^31, 2^32 - 1, 2^63 and 2^64 - 1 written over
 * or inserted, zeroed, deleted, duplicated and inserted ranges, truncation); or two samples
 * spliced together.
 *
 * <p>Cases: {@value #DEFAULT_CASES} per decoder by default, {@code -D}{@value #CASES_PROPERTY}
 * otherwise (the torture profile sets 1,000,000). The run's seed is printed; a failure names the
 * case's seed, which {@code -Dlsm.seed=S} replays alone ({@link SeededCases#SEED_PROPERTY}).
 *
 * <p>Needs nothing but the JDK (lsm-format's tests compile it too), so the accepted exception
 * type is passed in. Stateless apart from the report it adds to.
 */
public final class HostileInputs {
    /** System property: inputs per decoder. */
    public static final String CASES_PROPERTY = "lsm.hostile.cases";
    public static final int DEFAULT_CASES = 10_000;
    /** A case slower than this is a hang (the slowest decoder takes well under a millisecond). */
    public static final long CASE_TIMEOUT_MILLIS = 10_000;

    private static final HexFormat HEX = HexFormat.of();
    private static final long[] EDGES = {
        1L << 31, (1L << 31) - 1, 0xffff_ffffL, 1L << 32, 1L << 63, -1L, Long.MAX_VALUE, 0x7fff, 0xffff, 32768,
    };

    private HostileInputs() {}

    /** Decodes one input; returns normally when it accepts it. */
    @FunctionalInterface
    public interface Decoder {
        void decode(byte[] input) throws Exception;
    }

    /** What a run gave: inputs accepted and rejected with the allowed exception. */
    public record Tally(long accepted, long rejected) {
        public long total() {
            return accepted + rejected;
        }
    }

    /** The inputs per decoder of this run. */
    public static int cases() {
        int cases = Integer.getInteger(CASES_PROPERTY, DEFAULT_CASES);
        if (cases < 1) {
            throw new IllegalArgumentException("-D" + CASES_PROPERTY + "=" + cases + " is not positive");
        }
        return System.getProperty(SeededCases.SEED_PROPERTY) != null ? 1 : cases;
    }

    /**
     * Runs {@link #cases()} inputs built from {@code corpus} (well-formed encodings, at least one)
     * through {@code decoder}; throws an {@link AssertionError} at the first input that ends in
     * anything but acceptance or {@code rejection}. Adds {@code "<name>: inputs"},
     * {@code "<name>: rejected"} and {@link TortureReport#HOSTILE_INPUTS} to {@code report}.
     */
    public static Tally run(String name, List<byte[]> corpus, Class<? extends Throwable> rejection, Decoder decoder,
            TortureReport report) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("empty corpus for " + name);
        }
        String replay = System.getProperty(SeededCases.SEED_PROPERTY);
        long runSeed = replay != null ? 0 : System.nanoTime();
        int cases = cases();
        if (replay == null) {
            report.add(name + ": run seed", runSeed); // printed with the report; a failure names its case's seed
        }
        long[] counts = new long[2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] progress = {-1, 0}; // case index, start time (guarded by progress)
        Thread worker = new Thread(() -> {
            try {
                SplittableRandom seeds = new SplittableRandom(runSeed);
                for (int i = 0; i < cases; i++) {
                    long seed = replay != null ? Long.decode(replay) : seeds.nextLong();
                    synchronized (progress) {
                        progress[0] = i;
                        progress[1] = System.nanoTime();
                    }
                    byte[] input = input(new SeededRandom(seed), corpus);
                    Throwable outcome = outcome(decoder, input);
                    if (outcome == null) {
                        counts[0]++;
                    } else if (rejection.isInstance(outcome)) {
                        counts[1]++;
                    } else {
                        failure.set(new AssertionError(name + " threw " + outcome + " on case " + i + " (replay: -D"
                                + SeededCases.SEED_PROPERTY + "=" + seed + "), input " + hex(input), outcome));
                        return;
                    }
                }
            } catch (Throwable t) { // a fault of the generator itself: fail, never count
                failure.set(new AssertionError(name + ": the case loop failed", t));
            }
        }, "hostile-" + name);
        worker.setDaemon(true);
        worker.start();
        awaitWithoutHang(worker, progress, name, runSeed);
        if (failure.get() != null) {
            throw (AssertionError) failure.get();
        }
        report.add(name + ": inputs", cases);
        report.add(name + ": rejected", counts[1]);
        report.add(TortureReport.HOSTILE_INPUTS, cases);
        return new Tally(counts[0], counts[1]);
    }

    private static void awaitWithoutHang(Thread worker, long[] progress, String name, long runSeed) {
        try {
            while (worker.isAlive()) {
                worker.join(200);
                long index;
                long started;
                synchronized (progress) {
                    index = progress[0];
                    started = progress[1];
                }
                if (worker.isAlive() && index >= 0 && System.nanoTime() - started > CASE_TIMEOUT_MILLIS * 1_000_000) {
                    StackTraceElement[] stack = worker.getStackTrace();
                    worker.interrupt();
                    AssertionError hang = new AssertionError(name + ": case " + index + " of run seed " + runSeed
                            + " ran longer than " + CASE_TIMEOUT_MILLIS + " ms (a hang)");
                    hang.setStackTrace(stack);
                    throw hang;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What {@code decoder} ends in on {@code input}: null when it accepts it, else what it threw. */
    public static Throwable outcome(Decoder decoder, byte[] input) {
        try {
            decoder.decode(input);
            return null;
        } catch (Throwable t) { // an Error too: an OutOfMemoryError or StackOverflowError is a finding
            return t;
        }
    }

    /**
     * Checks a crafted input: {@code decoder} must reject it with {@code rejection} and allocate at
     * most {@code maxBytes} on the way (measured on this thread by the JVM, after one warm-up call
     * so that class loading is not counted). Returns the rejection for further checks.
     */
    public static <T extends Throwable> T assertRejected(String what, byte[] input, Class<T> rejection, long maxBytes,
            Decoder decoder) {
        outcome(decoder, input); // warm-up: loads classes, fills constant pools
        long before = allocatedBytes();
        Throwable outcome = outcome(decoder, input);
        long allocated = allocatedBytes() - before;
        if (outcome == null || !rejection.isInstance(outcome)) {
            throw new AssertionError(what + ": expected " + rejection.getSimpleName() + " but "
                    + (outcome == null ? "the input was accepted" : "got " + outcome) + "; input " + hex(input), outcome);
        }
        if (allocated > maxBytes) {
            throw new AssertionError(what + ": allocated " + allocated + " bytes before rejecting an input of "
                    + input.length + " bytes (at most " + maxBytes + " allowed)");
        }
        return rejection.cast(outcome);
    }

    /** Bytes this thread has allocated so far, as the JVM counts them. */
    public static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Hex of up to the first 256 bytes, and the length when there are more. */
    public static String hex(byte[] input) {
        String head = HEX.formatHex(input, 0, Math.min(256, input.length));
        return input.length <= 256 ? "[" + head + "]" : "[" + head + "... " + input.length + " bytes]";
    }

    // ---------------------------------------------------------------------------------------------
    // Inputs

    /** One input of the case drawn from {@code random}. */
    static byte[] input(SeededRandom random, List<byte[]> corpus) {
        byte[] sample = corpus.get(random.nextInt(corpus.size()));
        switch (random.weighted(2, 14, 1, 1)) {
            case 0:
                return random.anyBytes(Math.max(64, sample.length * 2));
            case 1: {
                byte[] mutated = sample;
                for (int n = random.intBetween(1, 4); n > 0; n--) {
                    mutated = mutate(random, mutated);
                }
                return mutated;
            }
            case 2: {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int cut = random.intBetween(0, sample.length);
                int from = random.intBetween(0, other.length);
                return concat(java.util.Arrays.copyOf(sample, cut), java.util.Arrays.copyOfRange(other, from, other.length));
            }
            default:
                return sample.clone(); // the well-formed input itself: must decode
        }
    }

    /** {@code bytes} with one random mutation (a new array). */
    static byte[] mutate(SeededRandom random, byte[] bytes) {
        int n = bytes.length;
        if (n == 0) {
            return random.anyBytes(16);
        }
        int at = random.nextInt(n);
        int length = Math.min(n - at, random.intBetween(1, random.oneIn(4) ? 64 : 8));
        byte[] out = bytes.clone();
        switch (random.nextInt(9)) {
            case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> out[at] = random.pick((byte) 0, (byte) 0x7f, (byte) 0x80, (byte) 0xff, (byte) random.nextInt());
            case 2 -> { // a little-endian fixed int of an edge value written over
                long value = random.pick(EDGES[random.nextInt(EDGES.length)], random.anyLong());
                int width = random.pick(4, 8);
                for (int i = 0; i < width && at + i < n; i++) {
                    out[at + i] = (byte) (value >>> 8 * i);
                }
            }
            case 3 -> { // a varint of an edge value inserted
                long value = random.pick(EDGES[random.nextInt(EDGES.length)], random.anyLong());
                return splice(bytes, at, 0, varint(value));
            }
            case 4 -> java.util.Arrays.fill(out, at, at + length, (byte) 0);
            case 5 -> {
                return splice(bytes, at, length, new byte[0]);
            }
            case 6 -> {
                return splice(bytes, at, 0, java.util.Arrays.copyOfRange(bytes, at, at + length));
            }
            case 7 -> {
                return splice(bytes, at, 0, random.bytes(length));
            }
            default -> {
                return java.util.Arrays.copyOf(bytes, at);
            }
        }
        return out;
    }

    /** The unsigned varint of {@code value} (1 to 10 bytes). */
    public static byte[] varint(long value) {
        byte[] out = new byte[10];
        int i = 0;
        while ((value & ~0x7fL) != 0) {
            out[i++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        out[i++] = (byte) value;
        return java.util.Arrays.copyOf(out, i);
    }

    /** {@code bytes} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] out = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
        return out;
    }

    /** The bytes of {@code parts} one after another. */
    public static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
