package org.lsmtree.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A rule saying which operations of a {@link FaultInjectingStorage} fail. Immutable: each
 * refining method returns a new rule. A rule matches an operation when every condition holds:
 *
 * <ul>
 *   <li>its kind is one of {@link #on the kinds} (any kind when none is named);
 *   <li>the file name of one of its paths (either one for a rename) {@link #matching matches};
 *   <li>its number is within {@link #fromOperation} / {@link #atOperation} (numbered from 1);
 *   <li>for {@link #diskFullAfter}: it is an append that would take the total of bytes appended
 *       through the storage past the limit (it then writes nothing).
 * </ul>
 *
 * <p>After {@link #skipFirst skipping} the first {@code n} matches, a rule fails the next match
 * and then, by default, every later one ({@link #permanently()}); {@link #once()} makes it fail
 * a single time. Example: {@code Fault.on(OperationKind.SYNC).matching("*.log").once()}.
 * A rule on appends can damage instead of fail: {@link #flippingABit} writes the bytes with one
 * bit flipped, as a bad cable or controller would.
 */
public final class Fault {

    private final Set<OperationKind> kinds;
    private final Predicate<String> names;
    private final String description;
    private final long firstOperation;
    private final long lastOperation;
    private final long byteLimit;
    private final int skip;
    private final boolean permanent;
    /** Seed of the bit flips, or {@link #FAILS} for a rule that fails its operations. */
    private final long flipSeed;
    /** For a full disk: whether the failing append first writes the bytes that still fit. */
    private final boolean writesWhatFits;

    private static final long FAILS = Long.MIN_VALUE;

    private Fault(Set<OperationKind> kinds, Predicate<String> names, String description,
            long firstOperation, long lastOperation, long byteLimit, int skip, boolean permanent, long flipSeed,
            boolean writesWhatFits) {
        this.kinds = kinds;
        this.names = names;
        this.description = description;
        this.firstOperation = firstOperation;
        this.lastOperation = lastOperation;
        this.byteLimit = byteLimit;
        this.skip = skip;
        this.permanent = permanent;
        this.flipSeed = flipSeed;
        this.writesWhatFits = writesWhatFits;
    }

    /** Fails operations of the given kinds. */
    public static Fault on(OperationKind kind, OperationKind... more) {
        return new Fault(EnumSet.of(kind, more), name -> true, "", 1, Long.MAX_VALUE, -1, 0, true,
                FAILS, false);
    }

    /** Fails operations of any kind. */
    public static Fault onAnyOperation() {
        return new Fault(EnumSet.allOf(OperationKind.class), name -> true, "", 1, Long.MAX_VALUE,
                -1, 0, true, FAILS, false);
    }

    /** Fails exactly operation number {@code index} (counted from 1), of any kind. */
    public static Fault atOperation(long index) {
        return onAnyOperation().atIndex(index, index);
    }

    /**
     * A full disk: an append that would take the bytes appended through the storage past
     * {@code limit} writes nothing and fails; appends that still fit succeed.
     */
    public static Fault diskFullAfter(long limit) {
        checkArgument(limit >= 0, "negative byte limit %s", limit);
        return new Fault(EnumSet.of(OperationKind.APPEND), name -> true, "", 1, Long.MAX_VALUE,
                limit, 0, true, FAILS, false);
    }

    /**
     * A full disk as {@code write(2)} meets it: an append that would take the bytes appended
     * through the storage past {@code limit} writes the bytes that still fit, then fails (a
     * partial record at the end of a log, a table cut short); appends that fit succeed.
     */
    public static Fault diskFullAfterWritingWhatFits(long limit) {
        checkArgument(limit >= 0, "negative byte limit %s", limit);
        return new Fault(EnumSet.of(OperationKind.APPEND), name -> true, " writing what fits", 1, Long.MAX_VALUE,
                limit, 0, true, FAILS, true);
    }

    /** Only operations on a file whose name matches {@code glob} (e.g. {@code "*.log"}). */
    public Fault matching(String glob) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        return withNames(name -> matcher.matches(Path.of(name)), " matching " + glob);
    }

    /** Only operations on a file whose whole name matches {@code regex}. */
    public Fault matchingRegex(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return withNames(name -> pattern.matcher(name).matches(), " matching /" + regex + "/");
    }

    /** Only operation number {@code index} and later ones. */
    public Fault fromOperation(long index) {
        return atIndex(index, lastOperation);
    }

    /** Lets the first {@code count} matching operations through. */
    public Fault skipFirst(int count) {
        checkArgument(count >= 0, "negative count %s", count);
        return new Fault(kinds, names, description, firstOperation, lastOperation, byteLimit,
                count, permanent, flipSeed, writesWhatFits);
    }

    /** Fails only the first matching operation (after the skipped ones). */
    public Fault once() {
        return new Fault(kinds, names, description, firstOperation, lastOperation, byteLimit,
                skip, false, flipSeed, writesWhatFits);
    }

    /** Fails every matching operation from the first one on (the default). */
    public Fault permanently() {
        return new Fault(kinds, names, description, firstOperation, lastOperation, byteLimit,
                skip, true, flipSeed, writesWhatFits);
    }

    /**
     * Instead of failing, an append this rule fires on succeeds with one bit of its bytes flipped
     * on their way to the file (the caller's bytes stay as they were): damage a checksum written
     * from the intact bytes will catch. The bit is drawn from {@code seed}, so a run replays.
     * Only for rules on {@link OperationKind#APPEND} alone; an empty append never fires it.
     */
    public Fault flippingABit(long seed) {
        checkArgument(kinds.equals(EnumSet.of(OperationKind.APPEND)), "only appends can carry a flipped bit: %s", kinds);
        checkArgument(seed != FAILS, "seed %s is reserved", seed);
        return new Fault(kinds, names, description, firstOperation, lastOperation, byteLimit, skip,
                permanent, seed, writesWhatFits);
    }

    /** Whether this rule flips a bit of an append instead of failing it. */
    boolean flipsABit() {
        return flipSeed != FAILS;
    }

    long flipSeed() {
        return flipSeed;
    }

    /** How many of an append's bytes a full disk writes before it fails: what fits under the limit. */
    long bytesThatFit(long written) {
        return writesWhatFits ? Math.max(0, byteLimit - written) : 0;
    }

    boolean isPermanent() {
        return permanent;
    }

    int skip() {
        return skip;
    }

    /** Whether this rule's conditions hold for an operation (ignoring skip and once). */
    boolean matches(OperationKind kind, long index, Path[] paths, long written, long length) {
        if (!kinds.contains(kind) || index < firstOperation || index > lastOperation) {
            return false;
        }
        if (byteLimit >= 0 && (kind != OperationKind.APPEND || written + length <= byteLimit)) {
            return false;
        }
        if (flipsABit() && length == 0) {
            return false;
        }
        for (Path path : paths) {
            Path name = path.getFileName();
            if (names.test(name == null ? path.toString() : name.toString())) {
                return true;
            }
        }
        return false;
    }

    private Fault withNames(Predicate<String> filter, String text) {
        checkNotNull(filter);
        return new Fault(kinds, names.and(filter), description + text, firstOperation,
                lastOperation, byteLimit, skip, permanent, flipSeed, writesWhatFits);
    }

    private Fault atIndex(long first, long last) {
        checkArgument(first >= 1 && first <= last, "operation numbers start at 1: %s", first);
        return new Fault(kinds, names, description, first, last, byteLimit, skip, permanent, flipSeed, writesWhatFits);
    }

    @Override
    public String toString() {
        return "Fault[" + (byteLimit >= 0 ? "disk full after " + byteLimit + " bytes" : kinds)
                + (flipsABit() ? " flipping a bit (seed " + flipSeed + ")" : "")
                + description
                + (firstOperation > 1 ? " from operation #" + firstOperation : "")
                + (lastOperation < Long.MAX_VALUE ? " to #" + lastOperation : "")
                + (skip > 0 ? " after " + skip + " matches" : "")
                + (permanent ? ", permanent]" : ", once]");
    }
}
