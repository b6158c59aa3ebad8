package org.lsmtree.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.storage.NioStorage;

/**
 * Issue 11, point 8: a batch larger than the reader's {@code maxRecordSize} is refused as a
 * corruption naming the file, the offset and the option (skipped and reported only under
 * {@link WalRecoveryMode#SKIP_ANY_CORRUPTED}), instead of being buffered without bound.
 */
class WalRecordSizeTest {
    private static final int MAX = 1 << 20;

    @Test
    void batchLargerThanMaxRecordSizeIsACorruptionNamingFileOffsetAndOption() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            NioStorage storage = NioStorage.of(fs);
            Path file = writeWal(storage, fs.getPath("/000004.log"));

            for (WalRecoveryMode mode : new WalRecoveryMode[] {WalRecoveryMode.TOLERATE_CORRUPTED_TAIL,
                    WalRecoveryMode.ABSOLUTE_CONSISTENCY, WalRecoveryMode.POINT_IN_TIME}) {
                try (WalReader reader = WalReader.open(storage, file, mode, MAX)) {
                    assertThat(reader.next().sequence()).isEqualTo(1);
                    assertThatThrownBy(reader::next).as("%s", mode)
                            .isInstanceOfSatisfying(CorruptionException.class, e -> {
                                assertThat(e.file()).isEqualTo(file.toString());
                                assertThat(e.offset()).isPositive().isLessThan(100);
                                assertThat(e.reason()).startsWith("RECORD_TOO_LARGE").contains("maxRecordSize");
                            });
                }
            }
        }
    }

    @Test
    void skipAnyCorruptedSkipsAndReportsTheLargeBatchAndGoesOn() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            NioStorage storage = NioStorage.of(fs);
            Path file = writeWal(storage, fs.getPath("/000004.log"));

            try (WalReader reader = WalReader.open(storage, file, WalRecoveryMode.SKIP_ANY_CORRUPTED, MAX)) {
                assertThat(reader.next().sequence()).isEqualTo(1);
                assertThat(reader.next().sequence()).isEqualTo(3);
                assertThat(reader.next()).isNull();
                assertThat(reader.problems()).singleElement()
                        .extracting(WalProblem::kind).isEqualTo(WalProblem.Kind.RECORD_TOO_LARGE);
            }
            try (WalReader reader = WalReader.open(storage, file, WalRecoveryMode.TOLERATE_CORRUPTED_TAIL)) {
                int batches = 0;
                while (reader.next() != null) {
                    batches++;
                }
                assertThat(batches).as("the default maximum reads it").isEqualTo(3);
            }
        }
    }

    /** Batches 1 (small), 2 (a 2 MiB value) and 3 (small). */
    private static Path writeWal(NioStorage storage, Path file) throws IOException {
        try (WalWriter writer = new WalWriter(storage.create(file))) {
            writer.append(1, new WriteBatch().put(new byte[] {1}, new byte[] {1}));
            writer.append(2, new WriteBatch().put(new byte[] {2}, new byte[2 * MAX]));
            writer.append(3, new WriteBatch().put(new byte[] {3}, new byte[] {3}));
        }
        return file;
    }
}
