package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.log.LogWriter;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.sstable.TableBuilder;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.wal.SequencedBatch;
import org.lsmtree.wal.WriteBatch;
import org.lsmtree.wal.WriteBatchCodec;

/**
 * Issue 11, point 10: the dumps stream. Each file here, dumped in JSON, makes far more output
 * than the small heap the dump runs in (a dump that held its output, as the CLI did, runs out of
 * memory); the dump must finish with its summary.
 */
class StreamingDumpsTest {
    private static final String HEAP = "16m";

    @TempDir
    Path temp;

    @Test
    void aWalOfManyRecordsDumpsInJsonInASmallHeap() throws Exception {
        Path wal = temp.resolve("000004.log");
        int records = 150_000;
        try (LogWriter log = new LogWriter(NioStorage.onDefaultFileSystem().create(wal))) {
            for (int i = 0; i < records; i++) {
                WriteBatch batch = new WriteBatch().put(bytes(String.format("key%07d", i)), bytes("value " + i));
                log.addRecord(WriteBatchCodec.INSTANCE.encode(new SequencedBatch(1 + i, batch)));
            }
        }
        CliProcess dump = CliProcess.run(HEAP, "wal", "dump", "--json", wal.toString());
        assertThat(dump.exitCode()).as(dump.stderr()).isZero();
        assertThat(dump.stdoutBytes()).as("far more output than heap").isGreaterThan(16L << 20);
        assertThat(dump.lastStdoutLine()).isEqualTo("}");
    }

    @Test
    void aTableOfManyEntriesDumpsInJsonInASmallHeap() throws Exception {
        Path table = temp.resolve("000005.ldb");
        int entries = 150_000;
        try (WritableFile out = NioStorage.onDefaultFileSystem().create(table);
                TableBuilder builder = new TableBuilder(out, TableOptions.defaults())) {
            for (int i = 0; i < entries; i++) {
                builder.add(InternalKey.encode(bytes(String.format("key%07d", i)), 1 + i, ValueType.PUT),
                        bytes("value " + i));
            }
            builder.finish();
            out.sync();
        }
        CliProcess dump = CliProcess.run(HEAP, "sst", "dump", "--json", table.toString());
        assertThat(dump.exitCode()).as(dump.stderr()).isZero();
        assertThat(dump.stdoutBytes()).as("far more output than heap").isGreaterThan(16L << 20);
        assertThat(dump.lastStdoutLine()).isEqualTo("}");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
