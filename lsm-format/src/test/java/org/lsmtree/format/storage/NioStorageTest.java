package org.lsmtree.format.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link NioStorage} adds to the Storage contract (the contract runs in lsm-testing). */
class NioStorageTest {

    @TempDir Path tempDir;

    private final FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix());

    @AfterEach
    void closeJimfs() throws IOException {
        jimfs.close();
    }

    @Test
    void pathOfAnotherFileSystemIsRejected() {
        NioStorage storage = NioStorage.of(jimfs);

        assertThatThrownBy(() -> storage.create(tempDir.resolve("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(tempDir.resolve("x").toString());
        assertThatThrownBy(() -> NioStorage.onDefaultFileSystem().exists(jimfs.getPath("/x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appendedBytesStayInTheBufferUntilFlush() throws IOException {
        NioStorage storage = NioStorage.onDefaultFileSystem();
        Path file = tempDir.resolve("buffered");
        try (WritableFile out = storage.create(file)) {
            out.append("hello".getBytes(UTF_8));

            assertThat(out.size()).isEqualTo(5);
            assertThat(Files.size(file)).isZero();
            out.flush();
            assertThat(Files.size(file)).isEqualTo(5);
        }
    }

    @Test
    void appendsLargerThanTheBufferKeepTheirOrder() throws IOException {
        NioStorage storage = NioStorage.of(jimfs);
        Path file = jimfs.getPath("/big");
        byte[] expected = new byte[3 * NioWritableFile.BUFFER_SIZE + 17];
        new Random(7).nextBytes(expected);
        try (WritableFile out = storage.create(file)) {
            out.append(expected, 0, 10);
            out.append(expected, 10, 2 * NioWritableFile.BUFFER_SIZE);
            ByteBuf rest = Unpooled.wrappedBuffer(expected, 0, expected.length);
            rest.readerIndex(10 + 2 * NioWritableFile.BUFFER_SIZE);
            try {
                out.append(rest);
                assertThat(rest.readerIndex()).isEqualTo(10 + 2 * NioWritableFile.BUFFER_SIZE);
                assertThat(rest.writerIndex()).isEqualTo(expected.length);
            } finally {
                rest.release();
            }
            assertThat(out.size()).isEqualTo(expected.length);
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    @Test
    void syncWritesThroughOnTheDefaultFileSystem() throws IOException {
        NioStorage storage = NioStorage.onDefaultFileSystem();
        Path file = tempDir.resolve("synced");
        try (WritableFile out = storage.create(file)) {
            out.append(new byte[] {1, 2, 3});
            out.sync();
            assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
        }
        storage.syncDirectory(tempDir);
    }

    @Test
    void syncDirectoryIsANoOpOnJimfsButStillChecksTheDirectory() throws IOException {
        NioStorage storage = NioStorage.of(jimfs);
        Path dir = jimfs.getPath("/db");
        storage.createDirectories(dir);

        storage.syncDirectory(dir);
        assertThatThrownBy(() -> storage.syncDirectory(jimfs.getPath("/missing")))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("/missing");
    }

    @Test
    void syncDirectoryOfAMissingDirectoryFailsOnTheDefaultFileSystem() {
        NioStorage storage = NioStorage.onDefaultFileSystem();

        assertThatThrownBy(() -> storage.syncDirectory(tempDir.resolve("gone")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void lockIsExclusiveAcrossStorageInstancesOfOneJvm() throws IOException {
        Path lockFile = tempDir.resolve("LOCK");
        StorageLock first = NioStorage.onDefaultFileSystem().lock(lockFile);

        assertThatThrownBy(() -> NioStorage.onDefaultFileSystem().lock(lockFile))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(lockFile.toString());
        // The failed attempt must not have dropped the OS lock of the holder.
        assertThat(first.toString()).doesNotContain("released");
        first.close();
        try (StorageLock second = NioStorage.onDefaultFileSystem().lock(lockFile)) {
            assertThat(second.file()).isEqualTo(lockFile);
        }
    }

    @Test
    void locksOfDifferentJimfsInstancesDoNotConflict() throws IOException {
        try (FileSystem other = Jimfs.newFileSystem(Configuration.unix());
                StorageLock a = NioStorage.of(jimfs).lock(jimfs.getPath("/LOCK"));
                StorageLock b = NioStorage.of(other).lock(other.getPath("/LOCK"))) {
            assertThat(a.file().getFileSystem()).isNotSameAs(b.file().getFileSystem());
        }
    }

    @Test
    void writableFileRejectsUseAfterClose() throws IOException {
        WritableFile out = NioStorage.of(jimfs).create(jimfs.getPath("/closed"));
        out.close();
        out.close();

        assertThatThrownBy(() -> out.append(new byte[1]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/closed");
    }

    @Test
    void readingADirectoryFailsNamingIt() throws IOException {
        NioStorage storage = NioStorage.onDefaultFileSystem();

        assertThatThrownBy(() -> storage.openSequential(tempDir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(tempDir.toString());
    }
}
