package org.lsmtree.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures one torture suite prints when it ends, in one shape for every suite so that the
 * summary in {@code docs/reliability.md} can be assembled from a build log: each suite prints a
 * block of lines {@code TORTURE | <suite> | <figure> | <count>}, grep-able with {@code grep '^TORTURE'}.
 *
 * <p>Figures are free-form names; use the common ones where they fit: {@link #WORKLOADS},
 * {@link #STATES_CHECKED}, {@link #DAMAGE_CASES}, {@link #DETECTED}, {@link #HARMLESS},
 * {@link #MISSED}, {@link #IO_FAULTS}, {@link #HOSTILE_INPUTS}, {@link #ACKED_WRITES_LOST},
 * {@link #KEYS_RESURRECTED}, and {@code "crash points, <model>"} per crash model.
 *
 * <p>Tests print {@link #render()} themselves (this class writes nowhere). Thread-safe; counts only grow.
 */
public final class TortureReport {
    public static final String WORKLOADS = "workloads";
    public static final String STATES_CHECKED = "states checked";
    public static final String DAMAGE_CASES = "damage cases";
    public static final String DETECTED = "detected";
    public static final String HARMLESS = "harmless";
    public static final String MISSED = "missed";
    public static final String IO_FAULTS = "I/O faults injected";
    public static final String HOSTILE_INPUTS = "hostile inputs";
    public static final String ACKED_WRITES_LOST = "acknowledged writes lost";
    public static final String KEYS_RESURRECTED = "keys resurrected";

    private final String suite;
    private final Map<String, Long> figures = new LinkedHashMap<>();

    /** A report for the suite named {@code suite} (e.g. the test class and its workload). */
    public TortureReport(String suite) {
        this.suite = suite;
    }

    /** Adds {@code delta} to {@code figure}, creating it at 0 first. */
    public synchronized void add(String figure, long delta) {
        figures.merge(figure, delta, Long::sum);
    }

    /** Adds one to {@code figure}. */
    public void count(String figure) {
        add(figure, 1);
    }

    /** The count of {@code figure}, 0 if it was never added to. */
    public synchronized long get(String figure) {
        return figures.getOrDefault(figure, 0L);
    }

    /** The report's lines, one per figure in the order they were first added. */
    public synchronized String render() {
        StringBuilder text = new StringBuilder();
        figures.forEach((figure, count) ->
                text.append("TORTURE | ").append(suite).append(" | ").append(figure).append(" | ")
                        .append(count).append('\n'));
        return text.toString();
    }
}
