package org.lsmtree.format.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link NioStorage} refuses to open: files that are not regular (named pipes, devices and
 * links to them, directories), whose open or read would block for ever or never end, and the ways
 * a lock can fail other than being held. The timeouts only guard against a hang; nothing is timed.
 */
class NioStorageFileKindTest {
    private static final Duration HANG = Duration.ofSeconds(60);

    @TempDir Path dir;

    private final NioStorage storage = NioStorage.onDefaultFileSystem();

    @Test
    void namedPipeIsRefusedForReadingAndLockingWithoutBlocking() throws Exception {
        Path pipe = dir.resolve("MANIFEST-000002");
        mkfifo(pipe);

        assertRefused(() -> storage.openSequential(pipe), pipe);
        assertRefused(() -> storage.openRandomRead(pipe), pipe);
        Path lock = dir.resolve("LOCK");
        mkfifo(lock);
        assertLockFails(lock, "not a regular file");
    }

    @Test
    void symlinkToADeviceIsRefusedForReadingAndLocking() throws Exception {
        Path current = dir.resolve("CURRENT");
        Files.createSymbolicLink(current, Path.of("/dev/zero"));
        Path log = dir.resolve("000003.log");
        Files.createSymbolicLink(log, Path.of("/dev/urandom"));

        assertRefused(() -> storage.openSequential(current), current);
        assertRefused(() -> storage.openRandomRead(log), log);
        Path lock = dir.resolve("LOCK");
        Files.createSymbolicLink(lock, Path.of("/dev/zero"));
        assertLockFails(lock, "not a regular file");
    }

    @Test
    void symlinkToARegularFileStillOpens() throws IOException {
        Path target = dir.resolve("target");
        Files.write(target, new byte[] {1, 2, 3});
        Path link = dir.resolve("CURRENT");
        Files.createSymbolicLink(link, target);

        try (SequentialFile in = storage.openSequential(link)) {
            assertThat(in.read(new byte[8], 0, 8)).isEqualTo(3);
        }
    }

    @Test
    void lockFileThatIsADirectorySaysSoAndNotThatTheStoreIsInUse() throws IOException {
        Path lock = Files.createDirectory(dir.resolve("LOCK"));

        assertLockFails(lock, "is a directory");
    }

    @Test
    void plainFilePassedAsTheStoreSaysItIsNotADirectory() throws IOException {
        Path notADirectory = Files.write(dir.resolve("store"), new byte[] {1});

        assertLockFails(notADirectory.resolve("LOCK"), notADirectory + ": is not a directory");
    }

    @Test
    void missingStoreDirectorySaysItDoesNotExist() {
        Path missing = dir.resolve("missing");

        assertLockFails(missing.resolve("LOCK"), missing + ": does not exist");
    }

    @Test
    void heldLockIsALockHeldException() throws IOException {
        Path lock = dir.resolve("LOCK");
        try (StorageLock held = storage.lock(lock)) {
            assertThatThrownBy(() -> storage.lock(lock))
                    .isInstanceOf(LockHeldException.class)
                    .hasMessageContaining(lock.toString())
                    .hasMessageContaining("is held by this process");
            assertThat(held.file()).isEqualTo(lock);
        }
    }

    private void assertRefused(ThrowingOpen open, Path file) {
        assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(open::open)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a regular file"));
    }

    private void assertLockFails(Path lock, String reason) {
        assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> storage.lock(lock).close())
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(LockHeldException.class)
                .hasMessageContaining("cannot create, open or lock the lock file " + lock)
                .hasMessageContaining(reason));
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(process.waitFor()).as("mkfifo %s", path).isZero();
        assertThat(Files.isRegularFile(path)).isFalse();
    }

    @FunctionalInterface
    private interface ThrowingOpen {
        void open() throws IOException;
    }
}
