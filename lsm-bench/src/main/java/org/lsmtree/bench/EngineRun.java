package org.lsmtree.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JVM of one engine in one round, forked by {@link DbBench}: runs every workload of
 * {@code --benchmarks} in order on {@code --engine} in {@code --dir} (which must be its own) and
 * writes the measurements as a JSON array to {@code --out}. Progress goes to standard error. Exit
 * code 1 when a workload fails or a check of what the store holds fails.
 */
public final class EngineRun {
    private EngineRun() {}

    public static void main(String[] args) throws Exception {
        Set<String> known = new HashSet<>(Flags.SETTINGS);
        known.addAll(Set.of("engine", "dir", "out"));
        Flags flags = Flags.parse(args, known, Set.of());
        EngineKind kind = EngineKind.of(flags.string("engine", "lsmtree"));
        BenchSettings settings = flags.settings();
        List<Workload> workloads = Workload.parseList(flags.string("benchmarks", Workload.DEFAULT_LIST));
        Path directory = Path.of(required(flags, "dir"));
        Path out = Path.of(required(flags, "out"));
        Files.createDirectories(directory);
        List<Measurement> results = new ArrayList<>();
        try (WorkloadRunner runner = new WorkloadRunner(kind, settings, directory)) {
            for (int step = 0; step < workloads.size(); step++) {
                Measurement result = runner.run(step, workloads.get(step));
                results.add(result);
                System.err.printf(Locale.ROOT, "  %-8s %-17s %s%n", kind.label, result.workload(),
                        result.note() != null ? result.note()
                                : String.format(Locale.ROOT, "%10.3f micros/op", result.microsPerOp()));
            }
        } catch (Exception | AssertionError e) {
            System.err.println(kind.label + ": " + e);
            e.printStackTrace();
            System.exit(1);
        }
        ResultsFile.writeMeasurements(out, results);
    }

    private static String required(Flags flags, String name) {
        if (!flags.has(name)) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return flags.string(name, null);
    }
}
