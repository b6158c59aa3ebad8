package org.lsmtree.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C++ reference: native RocksDB's {@code db_bench} run by the script
 * {@code rocksdb_db_bench.sh} (a resource of this module) with the same shape as the Java
 * engines, its output parsed into measurements of the engine {@value #LABEL}. Its keys come
 * from db_bench's own generator (same count, size and order kind, not the same bytes), so its
 * found counts are shown but not checked against our model.
 */
final class NativeRocksDb {
    static final String LABEL = "rocksdb-c++";
    private static final Pattern STEP = Pattern.compile("^lsm-bench step (\\d+) (\\S+) threads (\\d+)$");
    private static final Pattern RESULT = Pattern.compile("^\\S+\\s*:\\s*([0-9.]+) micros/op (\\d+) ops/sec"
            + "(?: ([0-9.]+) seconds (\\d+) operations;)?(?:\\s+([0-9.]+) MB/s)?(?:.*\\((\\d+) of (\\d+) found\\))?");
    private static final Pattern VERSION = Pattern.compile("^RocksDB:\\s+version (\\S+)");

    private final Path dbBench;
    private String version = "unknown";
    private boolean assertionsOn;

    private NativeRocksDb(Path dbBench) {
        this.dbBench = dbBench;
    }

    /**
     * The db_bench to run: {@code setting} is "off", "auto" (db_bench on the PATH, if any) or a
     * path to the binary (which must exist).
     */
    static Optional<NativeRocksDb> locate(String setting) {
        if (setting.equals("off")) {
            return Optional.empty();
        }
        if (!setting.equals("auto")) {
            Path binary = Path.of(setting);
            if (!Files.isExecutable(binary)) {
                throw new IllegalArgumentException("--db_bench " + setting + ": no executable file there");
            }
            return Optional.of(new NativeRocksDb(binary));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            Path binary = Path.of(directory.isEmpty() ? "." : directory, "db_bench");
            if (Files.isExecutable(binary)) {
                return Optional.of(new NativeRocksDb(binary));
            }
        }
        return Optional.empty();
    }

    Path binary() {
        return dbBench;
    }

    /** What the header says about it (known after the first run). */
    String describe() {
        return LABEL + ": native RocksDB " + version + " (" + dbBench + ", run by rocksdb_db_bench.sh"
                + (assertionsOn ? "; this build has assertions on, which slows it" : "") + ")";
    }

    List<Measurement> run(BenchSettings settings, String benchmarks, Path directory) throws IOException,
            InterruptedException {
        Files.createDirectories(directory);
        Path script = directory.resolveSibling(directory.getFileName() + "-rocksdb_db_bench.sh");
        try (InputStream in = NativeRocksDb.class.getResourceAsStream("rocksdb_db_bench.sh")) {
            if (in == null) {
                throw new IOException("rocksdb_db_bench.sh is missing from lsm-bench's resources");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--db_bench", dbBench.toString(),
                "--dir", directory.toString(), "--benchmarks", benchmarks,
                "--readers", Integer.toString(settings.readersWhileWriting())));
        List<String> shape = settings.asArguments();
        command.addAll(shape);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        DiskUsage.delete(directory);
        Files.deleteIfExists(script);
        if (exit != 0) {
            throw new IllegalStateException("rocksdb_db_bench.sh failed (exit " + exit + "):\n" + output);
        }
        return parse(output);
    }

    /** Measurements from the script's output, one per step it announced. */
    List<Measurement> parse(String output) {
        List<Measurement> results = new ArrayList<>();
        int step = -1;
        String workload = null;
        int threads = 1;
        boolean done = true;
        List<String> said = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher matcher;
            if ((matcher = STEP.matcher(line)).matches()) {
                if (!done) {
                    results.add(unsupported(step, workload, said));
                }
                step = Integer.parseInt(matcher.group(1));
                workload = matcher.group(2);
                threads = Integer.parseInt(matcher.group(3));
                done = false;
                said.clear();
            } else if ((matcher = VERSION.matcher(line)).find()) {
                version = matcher.group(1);
            } else if (line.startsWith("WARNING: Assertions are enabled")) {
                assertionsOn = true;
            } else if (!done && (matcher = RESULT.matcher(line)).find()) {
                results.add(measurement(step, workload, threads, matcher));
                done = true;
            } else if (!line.isBlank()) {
                said.add(line.trim());
            }
        }
        if (!done) {
            results.add(unsupported(step, workload, said));
        }
        return results;
    }

    private static Measurement measurement(int step, String workload, int threads, Matcher result) {
        double microsPerOp = Double.parseDouble(result.group(1));
        double opsPerSecond = Double.parseDouble(result.group(2));
        long ops = result.group(4) == null ? 1 : Long.parseLong(result.group(4));
        double seconds = result.group(3) == null ? 0 : Double.parseDouble(result.group(3));
        // One thread: micros/op is exact. Several: micros/op is per thread, so take the wall time
        // from ops/sec (an integer) or, when that is small, from the seconds (3 decimals).
        double nanos = threads == 1 ? microsPerOp * 1e3 * ops
                : opsPerSecond >= 1000 || seconds < 0.5 ? ops * 1e9 / opsPerSecond : seconds * 1e9;
        double megabytesPerSecond = result.group(5) == null ? 0 : Double.parseDouble(result.group(5));
        long bytes = (long) (megabytesPerSecond * (1 << 20) * nanos / 1e9);
        Long found = result.group(6) == null ? null : Long.parseLong(result.group(6));
        return new Measurement(step, workload, LABEL, ops, Math.max(1, Math.round(nanos)), bytes, found, null, null,
                null, null, null);
    }

    private static Measurement unsupported(int step, String workload, List<String> said) {
        String why = said.stream().filter(line -> line.toLowerCase(Locale.ROOT).contains("unknown")
                || line.toLowerCase(Locale.ROOT).contains("error")).findFirst().orElse("db_bench printed no result");
        return Measurement.unsupported(step, Workload.of(workload), LABEL, why);
    }
}
