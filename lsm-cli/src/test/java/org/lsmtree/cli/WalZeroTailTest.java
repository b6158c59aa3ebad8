package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.log.LogFormat;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.wal.WalWriter;
import org.lsmtree.wal.WriteBatch;

/**
 * {@code lsm wal dump} and {@code lsm verify} on a WAL its mapped writer left unclosed (a killed
 * process): clean, with the unused zeros named; zeros with a batch after them stay damage.
 */
class WalZeroTailTest {
    @TempDir
    Path temp;

    /** Writes 50 batches through the mapped writer and leaves the file as a killed process would. */
    private Path abandonedLog() throws IOException {
        Path log = temp.resolve("000003.log");
        WalWriter writer = WalWriter.create(NioStorage.onDefaultFileSystem(), log);
        for (int i = 0; i < 50; i++) {
            writer.append(1 + i, new WriteBatch().put(("k" + i).getBytes(StandardCharsets.US_ASCII), new byte[i * 20]));
        }
        // copy the file as it is now, then close (which truncates the original)
        Path copy = temp.resolve("000004.log");
        Files.copy(log, copy);
        writer.close();
        return copy;
    }

    @Test
    void anAbandonedMappedLogDumpsAndVerifiesCleanWithItsUnusedBytesNamed() throws IOException {
        Path log = abandonedLog();
        long unused = LogFormat.PREALLOCATION_CHUNK - Files.size(temp.resolve("000003.log"));
        assertThat(Files.size(log)).isEqualTo(LogFormat.PREALLOCATION_CHUNK);
        CliRun dump = CliRun.run("", "wal", "dump", log.toString());
        assertThat(dump.exitCode()).as(dump.stdout()).isEqualTo(ExitCodes.OK);
        assertThat(dump.stdout()).contains("50 batches", "the last " + unused + " unused", "0 problems");
        CliRun json = CliRun.run("", "wal", "dump", "--json", log.toString());
        assertThat(json.stdout()).contains("\"unusedPreallocatedBytes\": " + unused, "\"problemCount\": 0");
        CliRun verify = CliRun.run("", "verify", log.toString());
        assertThat(verify.exitCode()).as(verify.stdout()).isEqualTo(ExitCodes.OK);
        CliRun verifyJson = CliRun.run("", "verify", "--json", log.toString());
        assertThat(verifyJson.stdout()).contains("\"unusedPreallocatedBytes\": " + unused, "\"problemCount\": 0");
    }

    @Test
    void zerosWithABatchAfterThemAreStillDamage() throws IOException {
        Path log = abandonedLog();
        byte[] bytes = Files.readAllBytes(log);
        Arrays.fill(bytes, 100, 300, (byte) 0);
        Files.write(log, bytes);
        CliRun dump = CliRun.run("", "wal", "dump", log.toString());
        assertThat(dump.exitCode()).isEqualTo(ExitCodes.DAMAGE);
        CliRun verify = CliRun.run("", "verify", log.toString());
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.DAMAGE);
        assertThat(verify.stdout()).doesNotContain("TORN_TAIL");
    }
}
