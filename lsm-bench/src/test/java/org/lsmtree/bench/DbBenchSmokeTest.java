package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole runner on a tiny store, one round, every Java engine in its own JVM: every workload
 * runs, reads find what was written, scans see every entry, and the table, the JSON, the Markdown
 * and the chart come out. Says nothing about speed (that is the benchmark's job, run by hand).
 */
class DbBenchSmokeTest {
    private static final int NUM = 3000;

    @TempDir
    Path directory;

    @Test
    void everyEngineRunsEveryWorkloadInItsOwnJvmAndReadsBackWhatItWrote() throws Exception {
        Path json = directory.resolve("out/results.json");
        DbBench.Plan plan = DbBench.plan(Flags.parse(new String[] {"--num", Integer.toString(NUM), "--rounds=1",
            "--heap", "256m", "--db_bench", "off", "--dir", directory.resolve("stores").toString(),
            "--json", json.toString()}, DbBenchFlagsTest.RUNNER_FLAGS, Set.of("help")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ResultsFile results = DbBench.run(plan, new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> steps = List.of(Workload.DEFAULT_LIST.split(","));
        assertThat(results.engines()).containsExactly("lsmtree", "rocksdb", "leveldb");
        assertThat(results.rows()).hasSize(steps.size() * 3);
        for (String engine : results.engines()) {
            assertThat(row(results, 5, engine).found()).as(engine + " readrandom").isEqualTo(NUM);
            assertThat(row(results, 5, engine).expected()).isEqualTo(NUM);
            assertThat(row(results, 6, engine).found()).as(engine + " readmissing").isZero();
            assertThat(row(results, 7, engine).found()).as(engine + " readhot").isEqualTo(NUM);
            assertThat(row(results, 8, engine).entries()).as(engine + " readseq").isEqualTo(NUM);
            assertThat(row(results, 10, engine).found()).as(engine + " seekrandom").isEqualTo(NUM);
            assertThat(row(results, 10, engine).entries()).as(engine + " seekrandom entries")
                    .isGreaterThan(NUM * 9L);
            Summary.Row last = row(results, 14, engine);
            assertThat(last.found()).as(engine + " readrandom after deleterandom")
                    .isEqualTo(last.expected()).isBetween(1L, NUM - 1L);
            for (int fill : new int[] {0, 1, 2, 3, 4}) {
                assertThat(row(results, fill, engine).spaceAmplification()).as(engine + " space amp").isPositive();
            }
        }
        assertThat(row(results, 9, "lsmtree").entries()).as("readreverse").isEqualTo(NUM);
        assertThat(row(results, 9, "rocksdb").entries()).as("readreverse").isEqualTo(NUM);
        assertThat(row(results, 9, "leveldb").note()).as("iq80 cannot iterate backwards").startsWith("unsupported");

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("each engine in its own JVM", "bloom filter (iq80 0.12 has none)",
                "vs rocksdb", "vs leveldb", "readrandom #2");
        assertThat(ResultsFile.read(json).rows()).isEqualTo(results.rows());
        assertThat(Files.readString(plan.markdown())).contains("| readrandom | lsmtree |");
        byte[] png = Files.readAllBytes(plan.chart());
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(directory.resolve("stores")).isEmptyDirectory();
    }

    private static Summary.Row row(ResultsFile results, int step, String engine) {
        return results.rows().stream().filter(r -> r.step() == step && r.engine().equals(engine)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for step " + step + " on " + engine));
    }
}
