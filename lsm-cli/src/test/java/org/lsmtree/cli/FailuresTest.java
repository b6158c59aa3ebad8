package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void debugShowsTheStackTraceAndWithoutItOneLine() {
        CliRun plain = CliRun.run("", "sst", "dump", "src/test/resources/fixtures/damaged/000009.ldb");
        CliRun debug = CliRun.run("", "--debug", "sst", "dump", "src/test/resources/fixtures/damaged/000009.ldb");
        assertThat(plain.stderr().lines()).hasSize(1);
        assertThat(debug.stderr()).startsWith(plain.stderr()).contains("\tat org.lsmtree.sstable.");
        assertThat(debug.exitCode()).isEqualTo(plain.exitCode()).isEqualTo(3);
    }

    @Test
    void aCorruptionNamesFileOffsetAndReasonOnOneLine() {
        assertThat(Failures.describe(new org.lsmtree.format.CorruptionException("f.ldb", 42, "bad\nthing")))
                .isEqualTo("f.ldb: offset 42: bad thing");
        assertThat(Failures.exitCode(new org.lsmtree.format.CorruptionException("f.ldb", 42, "bad"))).isEqualTo(3);
        assertThat(Failures.exitCode(new java.nio.file.NoSuchFileException("x"))).isEqualTo(2);
    }
}
