package org.lsmtree.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of a run, as aligned text for the terminal and as Markdown for the benchmark page:
 * one row per workload step and engine (median round, with the slowest and fastest rounds'
 * ops/s), what the reads found and the scans saw, write and space amplification; then lsmtree's
 * ratio to each peer per step.
 */
final class ReportTable {
    private static final String[] COLUMNS = {"workload", "engine", "micros/op", "ops/s", "ops/s min..max", "MB/s",
        "found / entries", "write amp", "space amp"};

    private ReportTable() {}

    static void print(ResultsFile results, PrintStream out) {
        results.header().forEach(out::println);
        out.println();
        List<String[]> rows = cells(results);
        int[] widths = new int[COLUMNS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String format = i < 2 || i == 6 ? "%-" + widths[i] + "s  " : "%" + widths[i] + "s  ";
                line.append(String.format(Locale.ROOT, format, row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        out.println("lsmtree's ops/s as a ratio of each peer's (above 1: lsmtree faster)");
        for (String line : ratioLines(results)) {
            out.println(line);
        }
    }

    /** The table and the ratios in Markdown. */
    static String markdown(ResultsFile results) {
        StringBuilder text = new StringBuilder();
        List<String[]> rows = cells(results);
        for (int r = 0; r < rows.size(); r++) {
            text.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                text.append("|---|---|---:|---:|---:|---:|---|---:|---:|\n");
            }
        }
        text.append("\nlsmtree's ops/s as a ratio of each peer's (above 1: lsmtree faster):\n\n");
        List<String> peers = peers(results);
        text.append("| workload | ").append(String.join(" | ", peers.stream().map(p -> "vs " + p).toList()))
                .append(" |\n|---|").append("---:|".repeat(peers.size())).append("\n");
        Map<Integer, Map<String, Double>> byStep = ratiosByStep(results);
        List<String> labels = stepLabels(results.benchmarks());
        for (Map.Entry<Integer, Map<String, Double>> step : byStep.entrySet()) {
            text.append("| ").append(labels.get(step.getKey()));
            for (String peer : peers) {
                text.append(" | ").append(ratio(step.getValue().get(peer)));
            }
            text.append(" |\n");
        }
        return text.toString();
    }

    /** Step names for display: a workload that comes again is numbered ("readrandom #2"). */
    static List<String> stepLabels(List<String> benchmarks) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> labels = new ArrayList<>();
        for (String name : benchmarks) {
            int count = seen.merge(name, 1, Integer::sum);
            labels.add(count == 1 ? name : name + " #" + count);
        }
        return labels;
    }

    private static List<String[]> cells(ResultsFile results) {
        List<String> labels = stepLabels(results.benchmarks());
        List<String[]> rows = new ArrayList<>();
        rows.add(COLUMNS);
        for (Summary.Row row : results.rows()) {
            String label = labels.get(row.step());
            if (row.note() != null) {
                rows.add(new String[] {label, row.engine(), "-", "-", "-", "-", row.note(), "", ""});
                continue;
            }
            rows.add(new String[] {label, row.engine(), format("%.3f", row.microsPerOp()),
                format("%,.0f", row.opsPerSecond()),
                format("%,.0f", row.minOpsPerSecond()) + ".." + format("%,.0f", row.maxOpsPerSecond()),
                format("%.1f", row.megabytesPerSecond()), found(row),
                row.writeAmplification() == null ? "" : format("%.2f", row.writeAmplification()),
                row.spaceAmplification() == null ? "" : format("%.2f", row.spaceAmplification())});
        }
        return rows;
    }

    private static String found(Summary.Row row) {
        List<String> parts = new ArrayList<>();
        if (row.found() != null) {
            parts.add(row.expected() == null ? row.found() + " found"
                    : row.workload().equals("readwhilewriting")
                    ? row.found() + " found (at least " + row.expected() + ")"
                    : row.found() + " of " + row.expected() + " found");
        }
        if (row.entries() != null) {
            parts.add(row.entries() + " entries");
        }
        return String.join(", ", parts);
    }

    private static List<String> ratioLines(ResultsFile results) {
        List<String> lines = new ArrayList<>();
        List<String> labels = stepLabels(results.benchmarks());
        List<String> peers = peers(results);
        for (Map.Entry<Integer, Map<String, Double>> step : ratiosByStep(results).entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-19s", labels.get(step.getKey())));
            for (String peer : peers) {
                line.append(String.format(Locale.ROOT, "  vs %-11s %6s", peer, ratio(step.getValue().get(peer))));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    private static List<String> peers(ResultsFile results) {
        return results.engines().stream().filter(e -> !e.equals(Summary.OURS)).toList();
    }

    private static Map<Integer, Map<String, Double>> ratiosByStep(ResultsFile results) {
        Map<Integer, Map<String, Double>> byStep = new java.util.TreeMap<>();
        for (Summary.Ratio ratio : results.ratios()) {
            byStep.computeIfAbsent(ratio.step(), k -> new HashMap<>()).put(ratio.peer(), ratio.ratio());
        }
        return byStep;
    }

    private static String ratio(Double value) {
        return value == null || value.isNaN() ? "-" : format("%.2f", value);
    }

    private static String format(String format, double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }
}
