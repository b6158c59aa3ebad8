package org.lsmtree.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rounds of a run folded into one row per workload step and engine: the median round by
 * throughput (the lower middle one when the count is even) gives the figures, with the slowest
 * and fastest rounds' throughput beside it; and lsmtree's median throughput as a ratio of each
 * peer's.
 */
final class Summary {
    /** The name of our engine's rows, the numerator of every ratio. */
    static final String OURS = "lsmtree";

    /**
     * One workload step on one engine over the rounds. Rates are NaN when not measured.
     *
     * @param note why there is no figure (unsupported), else null
     */
    record Row(int step, String workload, String engine, int rounds, double microsPerOp, double opsPerSecond,
            double minOpsPerSecond, double maxOpsPerSecond, double megabytesPerSecond, Long found, Long expected,
            Long entries, Double writeAmplification, Double spaceAmplification, String note) {}

    /** lsmtree's median throughput over a peer's on one step (above 1: lsmtree faster). */
    record Ratio(int step, String workload, String peer, double ratio) {}

    private Summary() {}

    /** One row per step and engine, in step order and then in the order engines are given. */
    static List<Row> rows(List<Measurement> runs, List<String> engines) {
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        runs.stream()
                .sorted(Comparator.comparingInt(Measurement::step)
                        .thenComparingInt(m -> engines.indexOf(m.engine())))
                .forEach(m -> groups.computeIfAbsent(m.step() + "/" + m.engine(), k -> new ArrayList<>()).add(m));
        List<Row> rows = new ArrayList<>();
        for (List<Measurement> group : groups.values()) {
            rows.add(fold(group));
        }
        return rows;
    }

    static Row fold(List<Measurement> group) {
        Measurement first = group.get(0);
        List<Measurement> measured = group.stream().filter(Measurement::measured)
                .sorted(Comparator.comparingDouble(Measurement::opsPerSecond)).toList();
        if (measured.isEmpty()) {
            return new Row(first.step(), first.workload(), first.engine(), group.size(), Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, null, null, null, null, null, first.note());
        }
        Measurement median = measured.get((measured.size() - 1) / 2);
        return new Row(median.step(), median.workload(), median.engine(), group.size(), median.microsPerOp(),
                median.opsPerSecond(), measured.get(0).opsPerSecond(),
                measured.get(measured.size() - 1).opsPerSecond(), median.megabytesPerSecond(), median.found(),
                median.expected(), median.entries(), median.writeAmplification(), median.spaceAmplification(),
                null);
    }

    static List<Ratio> ratios(List<Row> rows) {
        List<Ratio> ratios = new ArrayList<>();
        for (Row ours : rows) {
            if (!ours.engine().equals(OURS)) {
                continue;
            }
            for (Row peer : rows) {
                if (peer.step() == ours.step() && !peer.engine().equals(OURS)) {
                    ratios.add(new Ratio(ours.step(), ours.workload(), peer.engine(),
                            ours.opsPerSecond() / peer.opsPerSecond()));
                }
            }
        }
        return ratios;
    }
}
