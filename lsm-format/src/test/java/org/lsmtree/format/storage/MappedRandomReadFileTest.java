package org.lsmtree.format.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NioStorage#openMapped}: mapped on the default file system, positional elsewhere, safe to close. */
class MappedRandomReadFileTest {

    @TempDir Path tempDir;

    private Path fileOf(byte[] bytes) throws IOException {
        Path file = tempDir.resolve("000001.ldb");
        Files.write(file, bytes);
        return file;
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aFileOnTheDefaultFileSystemIsMappedAndReadsAsWritten() throws IOException {
        byte[] bytes = randomBytes(1, 10_000);
        try (RandomReadFile file = NioStorage.onDefaultFileSystem().openMapped(fileOf(bytes))) {
            assertThat(file).isInstanceOf(MappedRandomReadFile.class);
            assertThat(file.size()).isEqualTo(bytes.length);
            byte[] middle = new byte[300];
            assertThat(file.read(4000, middle, 0, 300)).isEqualTo(300);
            assertThat(middle).isEqualTo(Arrays.copyOfRange(bytes, 4000, 4300));
        }
    }

    @Test
    void aReadPastTheEndReturnsWhatTheFileHolds() throws IOException {
        byte[] bytes = randomBytes(2, 100);
        try (RandomReadFile file = NioStorage.onDefaultFileSystem().openMapped(fileOf(bytes))) {
            byte[] target = new byte[50];
            assertThat(file.read(80, target, 10, 40)).isEqualTo(20);
            assertThat(Arrays.copyOfRange(target, 10, 30)).isEqualTo(Arrays.copyOfRange(bytes, 80, 100));
            assertThat(file.read(100, target, 0, 10)).isZero();
            assertThat(file.read(1000, target, 0, 10)).isZero();
        }
    }

    @Test
    void anEmptyFileMapsAndReadsNothing() throws IOException {
        try (RandomReadFile file = NioStorage.onDefaultFileSystem().openMapped(fileOf(new byte[0]))) {
            assertThat(file.size()).isZero();
            assertThat(file.read(0, new byte[4], 0, 4)).isZero();
        }
    }

    @Test
    void aReadAfterCloseFailsNamingTheFile() throws IOException {
        Path path = fileOf(randomBytes(3, 64));
        RandomReadFile file = NioStorage.onDefaultFileSystem().openMapped(path);
        file.close();
        file.close(); // twice is harmless

        assertThatThrownBy(() -> file.read(0, new byte[8], 0, 8))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("closed");
    }

    @Test
    void aMappedFileCanBeDeletedOnceClosed() throws IOException {
        Path path = fileOf(randomBytes(4, 4096));
        RandomReadFile file = NioStorage.onDefaultFileSystem().openMapped(path);
        file.read(0, new byte[16], 0, 16);
        file.close();
        Files.delete(path);

        assertThat(Files.exists(path)).isFalse();
    }

    @Test
    void closingWhileOtherThreadsReadNeverHandsThemWrongBytes() throws Exception {
        byte[] bytes = randomBytes(5, 1 << 16);
        Path path = fileOf(bytes);
        for (int round = 0; round < 20; round++) {
            RandomReadFile file = NioStorage.onDefaultFileSystem().openMapped(path);
            CountDownLatch started = new CountDownLatch(4);
            AtomicReference<Throwable> wrong = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = round * 10 + t;
                Thread reader = new Thread(() -> {
                    Random random = new Random(seed);
                    byte[] target = new byte[512];
                    started.countDown();
                    while (true) {
                        int at = random.nextInt(bytes.length - target.length);
                        try {
                            file.read(at, target, 0, target.length);
                        } catch (IOException closed) {
                            return; // the expected end: the file was closed under the reader
                        }
                        if (!Arrays.equals(target, 0, target.length, bytes, at, at + target.length)) {
                            wrong.set(new AssertionError("wrong bytes at " + at));
                            return;
                        }
                    }
                });
                readers.add(reader);
                reader.start();
            }
            started.await();
            file.close();
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(wrong.get()).isNull();
        }
    }

    @Test
    void anotherFileSystemFallsBackToPositionalReads() throws IOException {
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            Path path = jimfs.getPath("/000001.ldb");
            byte[] bytes = randomBytes(6, 100);
            Files.write(path, bytes);
            try (RandomReadFile file = NioStorage.of(jimfs).openMapped(path)) {
                assertThat(file).isInstanceOf(NioRandomReadFile.class);
                byte[] target = new byte[100];
                assertThat(file.read(0, target, 0, 100)).isEqualTo(100);
                assertThat(target).isEqualTo(bytes);
            }
        }
    }

    @Test
    void aDirectoryIsRefusedBeforeMapping() {
        assertThatThrownBy(() -> NioStorage.onDefaultFileSystem().openMapped(tempDir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("directory");
    }
}
