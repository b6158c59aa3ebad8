package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself, on a tiny workload: every engine runs every workload, finds every key it
 * wrote, and the report compares ours with each peer. Says nothing about speed (that is the
 * benchmark's job, run by hand).
 */
class DbBenchSmokeTest {

    @TempDir
    Path directory;

    @Test
    void everyEngineRunsEveryWorkloadAndTheReportComparesThem() throws IOException {
        DbBench.Config config = DbBench.parse(new String[] {"--num", "3000", "--value-size", "64",
                "--dir", directory.toString()});
        List<DbBench.Result> results = DbBench.run(config);
        assertThat(results).hasSize(3 * 5);
        assertThat(results).extracting(DbBench.Result::engine).containsOnly("lsmtree", "rocksdb", "iq80");
        assertThat(results).extracting(DbBench.Result::workload)
                .containsOnly("fillseq", "fillrandom", "overwrite", "readrandom", "readseq");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.ops()).isEqualTo(3000);
            assertThat(result.nanos()).isPositive();
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DbBench.print(results, config, new PrintStream(out, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("readrandom", "vs rocksdb", "vs iq80");
        assertThat(report.lines().filter(line -> line.contains(" vs ")).count()).isEqualTo(5);
    }
}
