package org.lsmtree.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Shortens a list on which a property fails: drops runs of items, from half the list down to
 * single items, keeping each drop after which the property still fails. Items themselves are not
 * made smaller. Bounded by {@link #MAX_ATTEMPTS} re-runs of the property.
 */
final class ListShrinker {
    static final int MAX_ATTEMPTS = 1000;

    private ListShrinker() {}

    record Result<T>(List<T> items, Throwable failure, int attempts) {}

    /** {@code failureOf} re-runs the property and returns its failure, or null when it passes. */
    static <T> Result<T> shrink(List<T> items, Throwable failure, Function<List<T>, Throwable> failureOf) {
        List<T> current = new ArrayList<>(items);
        Throwable currentFailure = failure;
        int attempts = 0;
        for (int run = Math.max(1, current.size() / 2); run >= 1 && attempts < MAX_ATTEMPTS; run /= 2) {
            int start = 0;
            while (start < current.size() && attempts < MAX_ATTEMPTS) {
                List<T> candidate = new ArrayList<>(current.subList(0, start));
                candidate.addAll(current.subList(Math.min(current.size(), start + run), current.size()));
                attempts++;
                Throwable candidateFailure = failureOf.apply(candidate);
                if (candidateFailure != null) {
                    current = candidate; // keep the drop; try the same place again
                    currentFailure = candidateFailure;
                } else {
                    start += run;
                }
            }
        }
        return new Result<>(current, currentFailure, attempts);
    }

    /** The items, one a line, at most 40 of them. */
    static String describe(List<?> items) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(40, items.size()); i++) {
            text.append("\n    ").append(i).append(": ").append(items.get(i));
        }
        if (items.size() > 40) {
            text.append("\n    ... ").append(items.size() - 40).append(" more");
        }
        return text.toString();
    }
}
