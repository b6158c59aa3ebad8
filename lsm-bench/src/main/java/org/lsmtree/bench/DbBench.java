package org.lsmtree.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * db_bench-style figures for several engines in one invocation: each workload runs on each
 * engine in turn, on the same keys and values, and the report gives every figure also as a
 * ratio of ours to each peer's. Workloads, as LevelDB's db_bench names them: fillseq (keys in
 * order into a new store), fillrandom (keys in random order into a new store), overwrite (random
 * keys again into that store), readrandom (random lookups there; every key must be found),
 * readseq (one scan of it).
 *
 * <p>Run: {@code mvn -B -q -pl lsm-bench -am install -DskipTests} then
 * {@code java -cp "$(cat lsm-bench/target/classpath.txt)" org.lsmtree.bench.DbBench --num 200000}
 * (see README); {@code --help} lists the options.
 */
public final class DbBench {
    /** One measured run. */
    record Result(String workload, String engine, long ops, long nanos, long bytes) {
        double opsPerSecond() {
            return ops * 1e9 / nanos;
        }

        double microsPerOp() {
            return nanos / 1e3 / ops;
        }

        double megabytesPerSecond() {
            return bytes * 1e9 / nanos / (1 << 20);
        }
    }

    /** What to run. */
    record Config(int num, int valueSize, Path directory, List<BenchEngine.Kind> engines, long seed) {}

    private DbBench() {}

    public static void main(String[] args) throws IOException {
        Config config = parse(args);
        List<Result> results = run(config);
        print(results, config, System.out);
    }

    static List<Result> run(Config config) throws IOException {
        Files.createDirectories(config.directory());
        byte[][] keys = new byte[config.num()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = String.format(Locale.ROOT, "%016d", i).getBytes(StandardCharsets.US_ASCII);
        }
        int[] shuffled = shuffled(config.num(), new Random(config.seed()));
        byte[] values = new byte[config.valueSize() * 64 + 1];
        new Random(config.seed() + 1).nextBytes(values);
        List<Result> results = new ArrayList<>();
        for (BenchEngine.Kind kind : config.engines()) {
            Path sequential = config.directory().resolve(kind.label + "-fillseq");
            try (BenchEngine engine = kind.open(sequential)) {
                results.add(fill("fillseq", engine, keys, null, values, config.valueSize()));
            }
            Path random = config.directory().resolve(kind.label + "-fillrandom");
            try (BenchEngine engine = kind.open(random)) {
                results.add(fill("fillrandom", engine, keys, shuffled, values, config.valueSize()));
                results.add(fill("overwrite", engine, keys, shuffled(config.num(), new Random(config.seed() + 2)),
                        values, config.valueSize()));
                results.add(readRandom(engine, keys, shuffled(config.num(), new Random(config.seed() + 3))));
                results.add(readSeq(engine, config.num()));
            }
        }
        return results;
    }

    private static Result fill(String workload, BenchEngine engine, byte[][] keys, int[] order, byte[] values,
            int valueSize) throws IOException {
        byte[] value = new byte[valueSize];
        long start = System.nanoTime();
        for (int i = 0; i < keys.length; i++) {
            int k = order == null ? i : order[i];
            System.arraycopy(values, (i * 31) % (values.length - valueSize), value, 0, valueSize);
            engine.put(keys[k], value);
        }
        long nanos = System.nanoTime() - start;
        return new Result(workload, engine.name(), keys.length, nanos, (long) keys.length * (16 + valueSize));
    }

    private static Result readRandom(BenchEngine engine, byte[][] keys, int[] order) throws IOException {
        long found = 0;
        long bytes = 0;
        long start = System.nanoTime();
        for (int k : order) {
            byte[] value = engine.get(keys[k]);
            if (value != null) {
                found++;
                bytes += 16 + value.length;
            }
        }
        long nanos = System.nanoTime() - start;
        if (found != keys.length) {
            throw new IllegalStateException(engine.name() + " found " + found + " of " + keys.length + " keys");
        }
        return new Result("readrandom", engine.name(), keys.length, nanos, bytes);
    }

    private static Result readSeq(BenchEngine engine, int num) throws IOException {
        long start = System.nanoTime();
        long count = engine.scan();
        long nanos = System.nanoTime() - start;
        if (count != num) {
            throw new IllegalStateException(engine.name() + " scanned " + count + " of " + num + " keys");
        }
        return new Result("readseq", engine.name(), count, nanos, 0);
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    static void print(List<Result> results, Config config, PrintStream out) {
        out.printf(Locale.ROOT, "keys: %d x 16 bytes, values: %d bytes, no compression, writes not synced%n",
                config.num(), config.valueSize());
        out.printf(Locale.ROOT, "%-11s %-8s %12s %10s %10s%n", "workload", "engine", "ops/s", "us/op", "MB/s");
        for (Result result : results) {
            out.printf(Locale.ROOT, "%-11s %-8s %12.0f %10.3f %10.1f%n", result.workload(), result.engine(),
                    result.opsPerSecond(), result.microsPerOp(), result.megabytesPerSecond());
        }
        out.println();
        out.println("lsmtree's throughput as a ratio of each peer's (above 1: lsmtree faster)");
        for (Result ours : results) {
            if (!ours.engine().equals("lsmtree")) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-11s", ours.workload()));
            for (Result peer : results) {
                if (peer.workload().equals(ours.workload()) && !peer.engine().equals("lsmtree")) {
                    line.append(String.format(Locale.ROOT, "  vs %-8s %6.2f", peer.engine(),
                            ours.opsPerSecond() / peer.opsPerSecond()));
                }
            }
            out.println(line);
        }
    }

    static Config parse(String[] args) throws IOException {
        int num = 100_000;
        int valueSize = 100;
        Path directory = null;
        List<BenchEngine.Kind> engines = List.of(BenchEngine.Kind.values());
        long seed = 301;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--num" -> num = Integer.parseInt(args[++i]);
                case "--value-size" -> valueSize = Integer.parseInt(args[++i]);
                case "--dir" -> directory = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--engines" -> {
                    List<BenchEngine.Kind> chosen = new ArrayList<>();
                    for (String name : args[++i].split(",")) {
                        chosen.add(BenchEngine.Kind.of(name.trim()));
                    }
                    engines = chosen;
                }
                default -> throw new IllegalArgumentException("usage: DbBench [--num N] [--value-size BYTES] "
                        + "[--dir DIR] [--engines lsmtree,rocksdb,iq80] [--seed N] (unknown: " + arg + ")");
            }
        }
        if (directory == null) {
            directory = Files.createTempDirectory("lsm-bench");
        }
        return new Config(num, valueSize, directory, engines, seed);
    }
}
