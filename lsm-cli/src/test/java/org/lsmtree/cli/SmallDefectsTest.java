package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small points of issue 16's defect 9 that have no better home. */
class SmallDefectsTest {
    @TempDir
    Path temp;

    @Test
    void anUnknownCommandIsCalledThat() {
        assertThat(CliRun.run("", "frobnicate").stderr()).startsWith("lsm: unknown command 'frobnicate'\n");
        assertThat(CliRun.run("", "wal", "frob").stderr()).startsWith("lsm: unknown command 'wal frob'\n");
    }

    @Test
    void anEmptyLogHasNoSequencesRatherThanMinusOne() throws IOException {
        Path log = Files.createFile(temp.resolve("000007.log"));
        CliRun dump = CliRun.run("", "wal", "dump", log.toString());
        assertThat(dump.stdout()).contains("sequences none").doesNotContain(" -1");
        assertThat(CliRun.run("", "wal", "dump", "--json", log.toString()).stdout())
                .contains("\"firstSequence\": null").doesNotContain(": -1");
        assertThat(CliRun.run("", "verify", log.toString()).stdout()).doesNotContain("=-1");
    }

    @Test
    void jsonAskedForIsJsonEvenWhenTheFileIsNoTable() {
        CliRun run = CliRun.run("", "sst", "dump", "--json", "src/test/resources/fixtures/damaged/000009.ldb");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.DAMAGE);
        assertThat(run.stdout()).startsWith("{\n  \"file\": \"src/test/resources/fixtures/damaged/000009.ldb\",\n"
                + "  \"problems\": [\n    {\n      \"offset\": 116,\n      \"kind\": \"CORRUPTION\",");
        assertThat(run.stderr().lines()).hasSize(1);
    }
}
