package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.sstable.TableOptions;

/**
 * {@link OutputCheck} on its own: a table that reads back intact but holds other entries than
 * were added (a digest or count that differs), or whose size is not the one written, is a
 * {@link CorruptionException} naming it; the table as written passes.
 */
class OutputCheckTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final NioStorage storage = NioStorage.of(fs);
    private final Path file = fs.getPath("/000007.ldb");
    private final TableOptions options = TableOptions.forInternalKeys(Options.defaults().comparator());

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    /** Writes entries k0..k(count-1) without the check; returns the table's size. */
    private long writeTable(int count) throws IOException {
        Files.createDirectories(file.getParent());
        SstableTables tables = new SstableTables(storage, Options.defaults().withParanoidFileChecks(false));
        try (TableFormat.TableSink sink = tables.create(file)) {
            for (int i = 0; i < count; i++) {
                sink.add(key(i), b("v" + i));
            }
            return sink.finish();
        }
    }

    private static byte[] key(int i) {
        return InternalKey.encode(b(String.format("k%03d", i)), 100 + i, ValueType.PUT);
    }

    private static OutputCheck added(int count, int changed) {
        OutputCheck check = new OutputCheck();
        for (int i = 0; i < count; i++) {
            check.added(key(i), b(i == changed ? "other" : "v" + i));
        }
        return check;
    }

    @Test
    void theTableAsWrittenPasses() throws IOException {
        long size = writeTable(50);
        added(50, -1).verify(storage, file, size, options);
    }

    @Test
    void aValueThatDiffersFromTheOneAddedIsCaughtByTheDigest() throws IOException {
        long size = writeTable(50);
        assertThatThrownBy(() -> added(50, 17).verify(storage, file, size, options))
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertThat(e.file()).isEqualTo(file.toString()))
                .hasMessageContaining("paranoid file check").hasMessageContaining("read back 50 entries");
    }

    @Test
    void anEntryMissingFromTheTableIsCaughtByTheCount() throws IOException {
        long size = writeTable(49);
        assertThatThrownBy(() -> added(50, -1).verify(storage, file, size, options))
                .hasMessageContaining("read back 49 entries").hasMessageContaining("50 were written");
    }

    @Test
    void aFileOfAnotherSizeThanWrittenIsCaught() throws IOException {
        long size = writeTable(50);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length + 1));
        assertThatThrownBy(() -> added(50, -1).verify(storage, file, size, options))
                .isInstanceOf(CorruptionException.class).hasMessageContaining(size + 1 + " bytes, " + size + " were written");
    }
}
