package org.lsmtree.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Runs a property over many random cases in a plain JUnit 5 test, each case drawn from a
 * {@link SeededRandom} of its own seed:
 *
 * <ul>
 *   <li>The case seeds of a run come from one run seed that is new every run, so each build
 *       tries cases the last one did not.
 *   <li>A failing case throws an {@link AssertionError} that names the property, the case, its
 *       seed and the command line that replays it; the first failure is the cause.
 *   <li>{@code -Dlsm.seed=S} (decimal, or hex with {@code 0x}) runs exactly one case, the one of
 *       seed S, in every property the run selects: narrow the run with {@code -Dtest=Class#method}.
 *   <li>{@code -Dlsm.cases.multiplier=N} runs N times the cases a property asks for; the soak
 *       profile ({@code -Psoak}) sets it.
 *   <li>{@link #checkShrinking} shortens a failing list (drops items while the property still
 *       fails) and reports the shortest failing list it found.
 * </ul>
 *
 * <p>Stateless; properties run on the calling thread.
 */
public final class SeededCases {
    /** System property: the seed of the one case to replay. */
    public static final String SEED_PROPERTY = "lsm.seed";
    /** System property: how many times the default number of cases to run (at least 1). */
    public static final String MULTIPLIER_PROPERTY = "lsm.cases.multiplier";

    private SeededCases() {}

    /** One case of a property: draws its inputs from {@code random} and asserts. */
    @FunctionalInterface
    public interface Property {
        void check(SeededRandom random) throws Exception;
    }

    /** One case of a property over a generated list; {@code random} draws any further input. */
    @FunctionalInterface
    public interface ListProperty<T> {
        void check(List<T> items, SeededRandom random) throws Exception;
    }

    /** The cases a property asking for {@code cases} runs: times the multiplier, or 1 when replaying. */
    public static int count(int cases) {
        if (cases < 1) {
            throw new IllegalArgumentException("cases " + cases);
        }
        if (replaySeed() != null) {
            return 1;
        }
        int multiplier = Integer.getInteger(MULTIPLIER_PROPERTY, 1);
        if (multiplier < 1) {
            throw new IllegalArgumentException("-D" + MULTIPLIER_PROPERTY + "=" + multiplier + " is not positive");
        }
        return Math.multiplyExact(cases, multiplier);
    }

    /** Checks {@code property} on {@link #count}{@code (cases)} random cases; returns how many ran. */
    public static int check(int cases, Property property) {
        return run(cases, seed -> {
            Throwable failure = failureOf(property, seed);
            return failure == null ? null : new Failure(failure, "");
        });
    }

    /**
     * Checks {@code property} on lists from {@code generator}, one per case. A failing list is
     * shortened by dropping runs of items (halves, quarters, ... single items) while the property
     * still fails on what is left; the report shows the shortest list and its failure.
     */
    public static <T> int checkShrinking(int cases, Function<SeededRandom, List<T>> generator,
            ListProperty<T> property) {
        return run(cases, seed -> {
            List<T> items = generator.apply(new SeededRandom(seed));
            Throwable failure = failureOf(items, property, seed);
            if (failure == null) {
                return null;
            }
            ListShrinker.Result<T> shrunk = ListShrinker.shrink(items, failure,
                    candidate -> failureOf(candidate, property, seed));
            String detail = "\n  shrunk from " + items.size() + " to " + shrunk.items().size() + " items in "
                    + shrunk.attempts() + " attempts: " + ListShrinker.describe(shrunk.items());
            if (shrunk.failure() != failure) {
                shrunk.failure().addSuppressed(failure);
            }
            return new Failure(shrunk.failure(), detail);
        });
    }

    private record Failure(Throwable cause, String detail) {}

    @FunctionalInterface
    private interface Case {
        Failure run(long seed);
    }

    private static int run(int cases, Case body) {
        TestName test = callingTest();
        Long replay = replaySeed();
        int count = count(cases);
        long runSeed = replay != null ? 0 : ThreadLocalRandom.current().nextLong();
        SplittableRandom seeds = new SplittableRandom(runSeed);
        for (int i = 0; i < count; i++) {
            long seed = replay != null ? replay : seeds.nextLong();
            Failure failure = body.run(seed);
            if (failure != null) {
                String origin = replay != null ? "the case replayed by -D" + SEED_PROPERTY
                        : "case " + (i + 1) + " of " + count;
                throw new AssertionError(test.className() + "." + test.method() + " failed on " + origin
                        + ", seed " + seed + "\n  replay: " + test.replayCommand(seed)
                        + failure.detail() + "\n  failure: " + failure.cause(), failure.cause());
            }
        }
        return count;
    }

    private static Throwable failureOf(Property property, long seed) {
        try {
            property.check(new SeededRandom(seed));
            return null;
        } catch (Exception | AssertionError e) {
            return e;
        }
    }

    private static <T> Throwable failureOf(List<T> items, ListProperty<T> property, long seed) {
        try {
            // The property's own draws come from a second stream of the seed, the same on every attempt.
            property.check(List.copyOf(items), new SeededRandom(~seed));
            return null;
        } catch (Exception | AssertionError e) {
            return e;
        }
    }

    private static Long replaySeed() {
        String text = System.getProperty(SEED_PROPERTY);
        if (text == null || text.isBlank()) {
            return null;
        }
        text = text.trim();
        try {
            return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + text + " is not a long", e);
        }
    }

    /** The test that ran a property: simple class name, method, and Maven module (null if unknown). */
    private record TestName(String className, String method, String module) {
        String replayCommand(long seed) {
            String select = "-Dtest='" + className + "#" + method + "' -D" + SEED_PROPERTY + "=" + seed;
            return module == null ? select
                    : "mvn -B -pl " + module + " -am verify -Dsurefire.failIfNoSpecifiedTests=false " + select;
        }
    }

    /**
     * The test that called us: the nearest caller that is a JUnit test method, else the nearest
     * caller (a lambda named after the method it is in).
     */
    private static TestName callingTest() {
        List<StackWalker.StackFrame> callers = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.filter(f -> f.getDeclaringClass() != SeededCases.class).toList());
        StackWalker.StackFrame test = callers.stream().filter(SeededCases::isTestMethod).findFirst()
                .orElse(callers.isEmpty() ? null : callers.get(0));
        if (test == null) {
            return new TestName("Unknown", "property", null);
        }
        String method = test.getMethodName();
        if (method.startsWith("lambda$") && method.lastIndexOf('$') > "lambda$".length()) {
            method = method.substring("lambda$".length(), method.lastIndexOf('$'));
        }
        return new TestName(test.getDeclaringClass().getSimpleName(), method, moduleOf(test.getDeclaringClass()));
    }

    /** The Maven module whose {@code target/test-classes} (or {@code target/classes}) holds {@code type}. */
    private static String moduleOf(Class<?> type) {
        try {
            java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
            java.nio.file.Path classes = java.nio.file.Path.of(source.getLocation().toURI());
            java.nio.file.Path target = classes.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    && target.getParent() != null && target.getParent().getFileName() != null) {
                return target.getParent().getFileName().toString();
            }
        } catch (RuntimeException | java.net.URISyntaxException e) {
            // no file location (a jar, a custom class loader): the short replay hint will do
        }
        return null;
    }

    private static boolean isTestMethod(StackWalker.StackFrame frame) {
        for (java.lang.reflect.Method method : frame.getDeclaringClass().getDeclaredMethods()) {
            if (method.getName().equals(frame.getMethodName())) {
                for (java.lang.annotation.Annotation annotation : method.getAnnotations()) {
                    if (annotation.annotationType().getName().startsWith("org.junit.jupiter.")
                            && annotation.annotationType().getSimpleName().endsWith("Test")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
