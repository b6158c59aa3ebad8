package org.lsmtree.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportAndExceptionTest {

    @Test
    void corruptionNamesFileOffsetAndReason() {
        CorruptionException e = new CorruptionException("000005.log", 1234, "bad checksum");
        assertThat(e).isInstanceOf(java.io.IOException.class)
                .hasMessage("corruption in 000005.log at offset 1234: bad checksum");
        assertThat(e.file()).isEqualTo("000005.log");
        assertThat(e.offset()).isEqualTo(1234);
        assertThat(e.reason()).isEqualTo("bad checksum");
    }

    @Test
    void relativeCorruptionIsRelocatedIntoItsFile() {
        CorruptionException inBuffer = CorruptionException.atOffset(10, "truncated varint32");
        assertThat(inBuffer).hasMessage("corruption at offset 10: truncated varint32");
        CorruptionException located = inBuffer.locatedAt("MANIFEST-000002", 4096);
        assertThat(located.offset()).isEqualTo(4106);
        assertThat(located).hasMessage("corruption in MANIFEST-000002 at offset 4106: truncated varint32")
                .hasCause(inBuffer);
        assertThat(new CorruptionException(null, -1, "x").locatedAt("f", 7).offset()).isEqualTo(7);
    }

    @Test
    void reportListsEveryProblemAndWhatWasChecked() {
        VerificationReport report = VerificationReport.builder("000003.log")
                .checked("masked CRC32C of every fragment")
                .problem(100, "BAD_CHECKSUM", "mismatch")
                .problem(40000, "TORN_TAIL", "cut off")
                .count("records", 3).add("records", 2).add("bytes", 7)
                .build();
        assertThat(report.isClean()).isFalse();
        assertThat(report.problems()).extracting(VerificationReport.Problem::offset).containsExactly(100L, 40000L);
        assertThat(report.checks()).containsExactly("masked CRC32C of every fragment");
        assertThat(report.count("records")).isEqualTo(5);
        assertThat(report.count("missing")).isZero();
        assertThat(report.toString()).contains("2 problem(s)", "records=5", "offset 40000: TORN_TAIL: cut off");
        assertThat(VerificationReport.builder("x").build().isClean()).isTrue();
    }
}
