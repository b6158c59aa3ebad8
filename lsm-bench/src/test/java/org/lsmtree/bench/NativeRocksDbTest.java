package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NativeRocksDbTest {
    /** What rocksdb_db_bench.sh prints (db_bench 7.8.3's lines, shortened). */
    private static final String OUTPUT = """
            lsm-bench step 0 fillseq threads 1
            RocksDB:    version 7.8.3
            WARNING: Assertions are enabled; benchmarks unnecessarily slow
            fillseq      :      10.166 micros/op 98360 ops/sec 0.203 seconds 20000 operations;   10.9 MB/s
            lsm-bench step 1 fillsync16 threads 16
            fillsync     :   78297.000 micros/op 129 ops/sec 0.123 seconds 16 operations;    0.0 MB/s (20 ops)
            lsm-bench step 2 readhot threads 1
            unknown benchmark 'readhot'
            lsm-bench step 3 readrandom threads 1
            readrandom   :       2.615 micros/op 381883 ops/sec 0.052 seconds 20000 operations;   42.2 MB/s \
            (19990 of 20000 found)
            lsm-bench step 4 compact threads 1
            compact      :   73239.000 micros/op 13 ops/sec 0.073 seconds 1 operations;
            """;

    private static NativeRocksDb cxx() {
        Optional<NativeRocksDb> located = NativeRocksDb.locate("/bin/sh"); // any executable will do here
        return located.orElseThrow();
    }

    @Test
    void eachAnnouncedStepBecomesOneMeasurement() {
        NativeRocksDb cxx = cxx();
        List<Measurement> results = cxx.parse(OUTPUT);
        assertThat(results).extracting(Measurement::step).containsExactly(0, 1, 2, 3, 4);
        assertThat(results).extracting(Measurement::engine).containsOnly("rocksdb-c++");
        assertThat(results.get(0).ops()).isEqualTo(20000);
        assertThat(results.get(0).microsPerOp()).isCloseTo(10.166, within(1e-9));
        assertThat(results.get(1).opsPerSecond()).as("several threads: throughput, not per-thread latency")
                .isCloseTo(129, within(1.0));
        assertThat(results.get(2).note()).isEqualTo("unsupported: unknown benchmark 'readhot'");
        assertThat(results.get(3).found()).isEqualTo(19990);
        assertThat(results.get(4).microsPerOp()).isCloseTo(73239, within(1e-6));
        assertThat(cxx.describe()).contains("7.8.3", "assertions on");
    }

    @Test
    void offAndAMissingBinaryAreTold() {
        assertThat(NativeRocksDb.locate("off")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NativeRocksDb.locate("/no/such/db_bench"))
                .hasMessageContaining("/no/such/db_bench");
    }
}
