package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static Measurement run(String engine, long nanos, long found) {
        return new Measurement(0, "readrandom", engine, 1000, nanos, 116_000, found, found, null, null, null, null);
    }

    @Test
    void medianRoundGivesTheFiguresWithSlowestAndFastestBeside() {
        Summary.Row row = Summary.fold(List.of(run("lsmtree", 3_000_000, 7), run("lsmtree", 1_000_000, 8),
                run("lsmtree", 2_000_000, 9)));
        assertThat(row.opsPerSecond()).isCloseTo(500_000, within(1e-6));
        assertThat(row.minOpsPerSecond()).isCloseTo(1000 / 3e-3, within(1e-6));
        assertThat(row.maxOpsPerSecond()).isCloseTo(1_000_000, within(1e-6));
        assertThat(row.found()).as("found comes from the median round").isEqualTo(9);
        assertThat(row.rounds()).isEqualTo(3);
    }

    @Test
    void ratioIsOursOverEachPeer() {
        List<Summary.Row> rows = Summary.rows(List.of(run("rocksdb", 1_000_000, 1), run("lsmtree", 2_000_000, 1),
                run("leveldb", 4_000_000, 1)), List.of("lsmtree", "rocksdb", "leveldb"));
        assertThat(rows).extracting(Summary.Row::engine).containsExactly("lsmtree", "rocksdb", "leveldb");
        List<Summary.Ratio> ratios = Summary.ratios(rows);
        assertThat(ratios).extracting(Summary.Ratio::peer).containsExactly("rocksdb", "leveldb");
        assertThat(ratios.get(0).ratio()).isCloseTo(0.5, within(1e-9));
        assertThat(ratios.get(1).ratio()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void aWorkloadNoRoundCouldRunKeepsItsReasonAndNoFigures() {
        Summary.Row row = Summary.fold(List.of(Measurement.unsupported(3, Workload.READREVERSE, "leveldb", "no prev")));
        assertThat(row.note()).isEqualTo("unsupported: no prev");
        assertThat(row.opsPerSecond()).isNaN();
    }
}
