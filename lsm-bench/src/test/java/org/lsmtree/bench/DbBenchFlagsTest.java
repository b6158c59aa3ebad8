package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DbBenchFlagsTest {
    static final Set<String> RUNNER_FLAGS;

    static {
        Set<String> known = new HashSet<>(Flags.SETTINGS);
        known.addAll(Set.of("engines", "rounds", "heap", "db_bench", "json", "chart", "markdown", "dir", "note",
                "from"));
        RUNNER_FLAGS = known;
    }

    private static DbBench.Plan plan(String... args) throws Exception {
        return DbBench.plan(Flags.parse(args, RUNNER_FLAGS, Set.of("help")));
    }

    @Test
    void defaultsAreDbBenchsShapeWithThreeRoundsOfThreeEngines() throws Exception {
        DbBench.Plan plan = plan("--dir", "x");
        assertThat(plan.settings()).isEqualTo(new BenchSettings(1_000_000, 100, 16, 1, 301));
        assertThat(plan.rounds()).isEqualTo(3);
        assertThat(plan.engines()).containsExactly(EngineKind.LSMTREE, EngineKind.ROCKSDB, EngineKind.LEVELDB);
        assertThat(Workload.parseList(plan.benchmarks())).hasSize(15).first().isEqualTo(Workload.FILLSEQ);
        assertThat(plan.chart()).isEqualTo(Path.of("bench-results/db_bench.png"));
    }

    @Test
    void equalsFormDashesAndIq80AliasAreAccepted() throws Exception {
        DbBench.Plan plan = plan("--num=20000", "--value-size", "64", "--engines=iq80,lsmtree", "--dir=x",
                "--json", "out/run.json");
        assertThat(plan.settings().num()).isEqualTo(20000);
        assertThat(plan.settings().valueSize()).isEqualTo(64);
        assertThat(plan.engines()).containsExactly(EngineKind.LEVELDB, EngineKind.LSMTREE);
        assertThat(plan.markdown()).isEqualTo(Path.of("out/run.md"));
    }

    @Test
    void badFlagsNameTheFlag() {
        assertThatThrownBy(() -> plan("--nmu", "5")).hasMessageContaining("--nmu");
        assertThatThrownBy(() -> plan("--num", "lots")).hasMessageContaining("--num").hasMessageContaining("lots");
        assertThatThrownBy(() -> plan("--benchmarks", "fillseq,readfast")).hasMessageContaining("readfast");
        assertThatThrownBy(() -> plan("--engines", "lsmtree,lsmtree")).hasMessageContaining("twice");
        assertThatThrownBy(() -> plan("--rounds", "0")).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> plan("--heap", "lots")).hasMessageContaining("--heap");
        assertThatThrownBy(() -> plan("--num")).hasMessageContaining("needs a value");
    }

    @Test
    void engineOrderRotatesEachRound() {
        List<String> engines = List.of("a", "b", "c");
        assertThat(DbBench.rotated(engines, 0)).containsExactly("a", "b", "c");
        assertThat(DbBench.rotated(engines, 1)).containsExactly("b", "c", "a");
        assertThat(DbBench.rotated(engines, 2)).containsExactly("c", "a", "b");
    }
}
