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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.wal.WalRecoveryMode;
import org.lsmtree.wal.WalWriter;
import org.lsmtree.wal.WriteBatch;

/**
 * A state LevelDB itself leaves: C++ LevelDB 1.23 ({@code DBImpl::Write}) and iq80 0.12
 * ({@code DbImpl.writeInternal}) take a batch's sequence numbers before appending it to the log,
 * and when the append fails without a sync (a full disk that is then freed, say) they go on
 * writing: the log holds intact records with sequence numbers skipped between them. Its bytes are
 * those of a log with one whole record cut out (which {@code DbMutationTest} makes, and which must
 * never be served as data), so the default open refuses it, changing nothing and naming the log,
 * the offset and the recovery mode that opens it with every intact record.
 */
class DbSequenceGapFromLevelDbTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");
    private final Storage storage = NioStorage.of(fs);

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void aLogWhoseIntactRecordsSkipASequenceIsRefusedByDefaultAndOpensWhenSkippingIsAsked() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("a"))).isNull();
        }
        Path log;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(p -> p.toString().endsWith(".log")).toList();
            assertThat(logs).hasSize(1);
            log = logs.get(0);
        }
        try (WalWriter wal = WalWriter.create(storage, log)) {
            wal.append(1, new WriteBatch().put(b("a"), b("1")));
            // sequence 2 went to a batch whose append failed; the writer carried on
            wal.append(3, new WriteBatch().put(b("c"), b("3")));
            wal.sync();
        }
        byte[] logBefore = Files.readAllBytes(log);
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(log.toString())
                .hasMessageContaining("holds writes from sequence 3 where 2 comes next")
                .hasMessageContaining("SKIP_ANY_CORRUPTED");
        assertThat(Files.readAllBytes(log)).isEqualTo(logBefore);
        try (Db db = Db.open(dir, Options.defaults().withWalRecoveryMode(WalRecoveryMode.SKIP_ANY_CORRUPTED))) {
            assertThat(db.get(b("a"))).isEqualTo(b("1"));
            assertThat(db.get(b("c"))).isEqualTo(b("3"));
        }
    }
}
