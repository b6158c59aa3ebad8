package org.lsmtree.format;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Verifier} found in one file: every problem (offset, kind, message), what it
 * checked (a list of the checks made), and counts it gathered on the way (records, entries,
 * bytes). Immutable; build one with {@link #builder(String)}.
 */
public final class VerificationReport {

    /** One problem: where (byte offset in the file, -1 when not located), what kind, and detail. */
    public record Problem(long offset, String kind, String message) {
        @Override
        public String toString() {
            return (offset >= 0 ? "offset " + offset : "file") + ": " + kind + ": " + message;
        }
    }

    private final String file;
    private final ImmutableList<Problem> problems;
    private final ImmutableList<String> checks;
    private final ImmutableMap<String, Long> counts;

    private VerificationReport(Builder builder) {
        this.file = builder.file;
        this.problems = ImmutableList.copyOf(builder.problems);
        this.checks = ImmutableList.copyOf(builder.checks);
        this.counts = ImmutableMap.copyOf(builder.counts);
    }

    public static Builder builder(String file) {
        return new Builder(file);
    }

    /** The file as the caller named it. */
    public String file() {
        return file;
    }

    /** True when no problem was found. */
    public boolean isClean() {
        return problems.isEmpty();
    }

    /** Every problem, in the order found (ascending offset for a sequential scan). */
    public List<Problem> problems() {
        return problems;
    }

    /** The checks made, in words ("masked CRC32C of every fragment"). */
    public List<String> checks() {
        return checks;
    }

    /** Counts gathered, in insertion order ("records" -> 120). */
    public Map<String, Long> counts() {
        return counts;
    }

    /** A count, or 0 when it was never set. */
    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file).append(isClean() ? ": clean" : ": " + problems.size() + " problem(s)");
        counts.forEach((name, value) -> text.append(", ").append(name).append('=').append(value));
        for (Problem problem : problems) {
            text.append("\n  ").append(problem);
        }
        return text.toString();
    }

    /** Gathers a report. Not thread-safe. */
    public static final class Builder {
        private final String file;
        private final List<Problem> problems = new ArrayList<>();
        private final List<String> checks = new ArrayList<>();
        private final Map<String, Long> counts = new LinkedHashMap<>();

        private Builder(String file) {
            this.file = Preconditions.checkNotNull(file);
        }

        public Builder problem(long offset, String kind, String message) {
            problems.add(new Problem(offset, kind, message));
            return this;
        }

        public Builder checked(String check) {
            checks.add(check);
            return this;
        }

        public Builder count(String name, long value) {
            counts.put(name, value);
            return this;
        }

        /** Adds {@code delta} to a count (starting from 0). */
        public Builder add(String name, long delta) {
            counts.merge(name, delta, Long::sum);
            return this;
        }

        public VerificationReport build() {
            return new VerificationReport(this);
        }
    }
}
