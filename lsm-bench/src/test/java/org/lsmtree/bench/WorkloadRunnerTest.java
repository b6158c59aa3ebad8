package org.lsmtree.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's checks, in this JVM: a store that loses writes never gets a figure. */
class WorkloadRunnerTest {
    private static final BenchSettings SETTINGS = new BenchSettings(2000, 32, 16, 2, 7);

    @TempDir
    Path directory;

    @Test
    void ourStoreDroppingWritesFailsTheRunNamingTheCounts() throws Exception {
        try (WorkloadRunner runner = new WorkloadRunner(EngineKind.LSMTREE.label, dir -> new DroppingEveryHundredthPut(
                new LsmTreeEngine(dir, SETTINGS)), SETTINGS, directory)) {
            runner.run(0, Workload.FILLRANDOM);
            assertThatThrownBy(() -> runner.run(1, Workload.READRANDOM))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("lsmtree readrandom: found").hasMessageContaining("expected 2000");
            assertThatThrownBy(() -> runner.run(2, Workload.READSEQ)).hasMessageContaining("expected 2000");
        }
    }

    @Test
    void aPeerDroppingWritesGetsAFailedEntryNamingTheCountsNeverAFigure() throws Exception {
        try (WorkloadRunner runner = new WorkloadRunner("lossy", dir -> new DroppingEveryHundredthPut(
                new LsmTreeEngine(dir, SETTINGS)), SETTINGS, directory)) {
            runner.run(0, Workload.FILLRANDOM);
            Measurement reads = runner.run(1, Workload.READRANDOM);
            assertThat(reads.measured()).isFalse();
            assertThat(reads.note()).startsWith("failed: ").contains("lossy readrandom: found", "expected 2000");
        }
    }

    @Test
    void ourEngineFindsEveryLiveKeyAcrossDeletesAndCompaction() throws Exception {
        try (WorkloadRunner runner = new WorkloadRunner(EngineKind.LSMTREE, SETTINGS, directory)) {
            runner.run(0, Workload.FILLSEQ);
            runner.run(1, Workload.OVERWRITE);
            Measurement deletes = runner.run(2, Workload.DELETERANDOM);
            assertThat(deletes.writeAmplification()).isNotNull();
            long live = runner.live().cardinality();
            assertThat(live).isBetween(1L, 1999L);
            runner.run(3, Workload.COMPACT);
            Measurement scan = runner.run(4, Workload.READREVERSE);
            assertThat(scan.entries()).isEqualTo(live);
            Measurement reads = runner.run(5, Workload.READRANDOM);
            assertThat(reads.found()).isEqualTo(reads.expected()).isPositive().isLessThan(2000L);
            Measurement seeks = runner.run(6, Workload.SEEKRANDOM);
            assertThat(seeks.found()).isEqualTo(seeks.expected());
            Measurement sync = runner.run(7, Workload.FILLSYNC16);
            assertThat(sync.ops()).isEqualTo(BenchSettings.SYNC_WRITERS);
            assertThat(runner.live().cardinality()).as("fillsync16 writes a store of its own").isEqualTo(live);
        }
    }

    /** Wraps an engine and silently loses every hundredth put. */
    private static final class DroppingEveryHundredthPut implements BenchEngine {
        private final BenchEngine engine;
        private int puts;

        DroppingEveryHundredthPut(BenchEngine engine) {
            this.engine = engine;
        }

        @Override
        public void put(byte[] key, byte[] value, boolean sync) throws IOException {
            if (++puts % 100 != 0) {
                engine.put(key, value, sync);
            }
        }

        @Override
        public void delete(byte[] key) throws IOException {
            engine.delete(key);
        }

        @Override
        public byte[] get(byte[] key) throws IOException {
            return engine.get(key);
        }

        @Override
        public long scanForward() throws IOException {
            return engine.scanForward();
        }

        @Override
        public long scanReverse() throws IOException {
            return engine.scanReverse();
        }

        @Override
        public Cursor cursor() throws IOException {
            return engine.cursor();
        }

        @Override
        public void compactAll() throws IOException {
            engine.compactAll();
        }

        @Override
        public void settle() throws IOException {
            engine.settle();
        }

        @Override
        public void close() throws IOException {
            engine.close();
        }
    }
}
