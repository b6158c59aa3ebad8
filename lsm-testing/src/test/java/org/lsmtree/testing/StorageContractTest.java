package org.lsmtree.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.format.storage.WritableFile;

/**
 * The contract every {@link Storage} keeps, run against each implementation by a concrete
 * subclass (in the manner of Netty's {@code AbstractByteBufTest}). A subclass supplies a storage
 * and an empty, existing directory in it.
 */
abstract class StorageContractTest {

    Storage storage;
    Path dir;

    /** A fresh storage for one test. */
    abstract Storage newStorage() throws IOException;

    /** An empty directory that exists in {@code storage}. */
    abstract Path newDirectory(Storage storage) throws IOException;

    /** Releases what {@link #newStorage} acquired. */
    void closeStorage() throws IOException {}

    @BeforeEach
    void setUpStorage() throws IOException {
        storage = newStorage();
        dir = newDirectory(storage);
    }

    @AfterEach
    void tearDownStorage() throws IOException {
        closeStorage();
    }

    @Test
    void appendedBytesReadBackSequentially() throws IOException {
        Path file = write("a.log", "hello ", "world");

        assertThat(storage.size(file)).isEqualTo(11);
        assertThat(readAll(file)).isEqualTo("hello world");
    }

    @Test
    void writableSizeCountsUnflushedBytesAndFlushShowsThemToReaders() throws IOException {
        Path file = dir.resolve("f");
        try (WritableFile out = storage.create(file)) {
            out.append(bytes("abc"));
            assertThat(out.size()).isEqualTo(3);
            out.flush();
            assertThat(storage.size(file)).isEqualTo(3);
            assertThat(readAll(file)).isEqualTo("abc");
        }
    }

    @Test
    void sequentialReadSkipsAndEndsWithMinusOne() throws IOException {
        Path file = write("s", "0123456789");
        try (SequentialFile in = storage.openSequential(file)) {
            byte[] buffer = new byte[4];
            assertThat(in.skip(3)).isEqualTo(3);
            assertThat(in.read(buffer, 0, 4)).isEqualTo(4);
            assertThat(new String(buffer, UTF_8)).isEqualTo("3456");
            assertThat(in.position()).isEqualTo(7);
            assertThat(in.read(buffer, 0, 4)).isEqualTo(3);
            assertThat(in.read(buffer, 0, 4)).isEqualTo(-1);
            assertThat(in.skip(5)).isZero();
        }
    }

    @Test
    void randomReadReadsAtAnyOffset() throws IOException {
        Path file = write("r", "0123456789");
        try (RandomReadFile in = storage.openRandomRead(file)) {
            byte[] buffer = new byte[6];
            assertThat(in.size()).isEqualTo(10);
            assertThat(in.read(5, buffer, 1, 3)).isEqualTo(3);
            assertThat(new String(buffer, 1, 3, UTF_8)).isEqualTo("567");
            assertThat(in.read(0, buffer, 0, 2)).isEqualTo(2);
            assertThat(new String(buffer, 0, 2, UTF_8)).isEqualTo("01");
        }
    }

    @Test
    void randomReadPastTheEndReturnsAShortCountThenZero() throws IOException {
        Path file = write("r", "0123456789");
        try (RandomReadFile in = storage.openRandomRead(file)) {
            byte[] buffer = new byte[8];
            assertThat(in.read(7, buffer, 0, 8)).isEqualTo(3);
            assertThat(new String(buffer, 0, 3, UTF_8)).isEqualTo("789");
            assertThat(in.read(10, buffer, 0, 8)).isZero();
            assertThat(in.read(1000, buffer, 0, 8)).isZero();
        }
    }

    @Test
    void appendOfByteBufWritesReadableBytesAndLeavesIndexesUnchanged() throws IOException {
        Path file = dir.resolve("buf");
        ByteBuf source = Unpooled.buffer(16);
        try (WritableFile out = storage.create(file)) {
            source.writeBytes(bytes("xxpayload"));
            source.readerIndex(2);
            out.append(source);
            assertThat(source.readerIndex()).isEqualTo(2);
            assertThat(source.writerIndex()).isEqualTo(9);
        } finally {
            source.release();
        }
        assertThat(readAll(file)).isEqualTo("payload");
    }

    @Test
    void openAppendableAppendsAtTheEnd() throws IOException {
        Path file = write("app", "first,");
        try (WritableFile out = storage.openAppendable(file)) {
            assertThat(out.size()).isEqualTo(6);
            out.append(bytes("second"));
            assertThat(out.size()).isEqualTo(12);
        }
        assertThat(readAll(file)).isEqualTo("first,second");
    }

    @Test
    void openAppendableCreatesAMissingFile() throws IOException {
        Path file = dir.resolve("new");
        try (WritableFile out = storage.openAppendable(file)) {
            out.append(bytes("x"));
        }
        assertThat(readAll(file)).isEqualTo("x");
    }

    @Test
    void createTruncatesAnExistingFile() throws IOException {
        Path file = write("t", "a long old content");
        write("t", "new");

        assertThat(readAll(file)).isEqualTo("new");
        assertThat(storage.size(file)).isEqualTo(3);
    }

    @Test
    void createInAMissingDirectoryFails() {
        assertThatThrownBy(() -> storage.create(dir.resolve("nope/file")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void renameReplacesTheTarget() throws IOException {
        Path source = write("CURRENT.tmp", "MANIFEST-000002\n");
        Path target = write("CURRENT", "MANIFEST-000001\n");

        storage.rename(source, target);

        assertThat(storage.exists(source)).isFalse();
        assertThat(readAll(target)).isEqualTo("MANIFEST-000002\n");
        assertThat(storage.list(dir)).containsExactly(target);
    }

    @Test
    void renameOfAMissingFileFails() {
        assertThatThrownBy(() -> storage.rename(dir.resolve("gone"), dir.resolve("x")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deleteRemovesAFileAndAMissingFileIsAnError() throws IOException {
        Path file = write("d", "x");
        storage.delete(file);

        assertThat(storage.exists(file)).isFalse();
        assertThatThrownBy(() -> storage.delete(file))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(file.getFileName().toString());
    }

    @Test
    void existsSeesFilesAndDirectories() throws IOException {
        Path file = write("e", "x");

        assertThat(storage.exists(file)).isTrue();
        assertThat(storage.exists(dir)).isTrue();
        assertThat(storage.exists(dir.resolve("absent"))).isFalse();
    }

    @Test
    void listIsSortedByName() throws IOException {
        write("000010.ldb", "");
        write("000002.log", "");
        write("LOCK", "");
        write("CURRENT", "");
        storage.createDirectories(dir.resolve("sub"));

        assertThat(storage.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("000002.log", "000010.ldb", "CURRENT", "LOCK", "sub");
        assertThat(storage.list(dir)).allSatisfy(p -> assertThat(p.getParent()).isEqualTo(dir));
    }

    @Test
    void createDirectoriesCreatesParentsAndIsIdempotent() throws IOException {
        Path nested = dir.resolve("a/b/c");
        storage.createDirectories(nested);
        storage.createDirectories(nested);

        assertThat(storage.exists(nested)).isTrue();
        assertThat(storage.list(dir.resolve("a"))).containsExactly(dir.resolve("a/b"));
        storage.syncDirectory(nested);
    }

    @Test
    void readingAMissingFileFailsWithNoSuchFile() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> storage.openSequential(missing))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> storage.openRandomRead(missing))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> storage.size(missing))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void secondLockFailsNamingTheFileAndSucceedsAfterRelease() throws IOException {
        Path lockFile = dir.resolve("LOCK");
        StorageLock first = storage.lock(lockFile);

        assertThat(storage.exists(lockFile)).isTrue();
        assertThatThrownBy(() -> storage.lock(lockFile))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(lockFile.toString());
        first.close();
        first.close();
        try (StorageLock second = storage.lock(lockFile)) {
            assertThat(second.file()).isEqualTo(lockFile);
        }
    }

    @Test
    void syncedFileAndDirectoryReadBack() throws IOException {
        Path file = dir.resolve("synced");
        try (WritableFile out = storage.create(file)) {
            out.append(bytes("durable"));
            out.sync();
        }
        storage.syncDirectory(dir);

        assertThat(readAll(file)).isEqualTo("durable");
    }

    /**
     * A second thread syncs prefixes of what the writer has appended and flushed (published
     * through a volatile, as an executor would), while the writer appends seeded pieces across
     * many chunks, syncs now and then, and closes (the syncer goes on past the close, which it
     * must survive doing nothing): the file holds every byte, in order, and the syncer saw no error.
     */
    @Test
    void aPrefixSyncBesideAppendsAndCloseLosesNoByte() throws Exception {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println(getClass().getSimpleName() + " prefix sync seed " + seed + " (replay: -Dlsm.seed=" + seed + ")");
        java.util.Random random = new java.util.Random(seed);
        for (boolean mapped : new boolean[] {false, true}) {
            Path file = dir.resolve(mapped ? "mapped.log" : "plain.log");
            WritableFile out = mapped ? storage.createMappedAppend(file, 4096) : storage.create(file);
            java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong prefixes = new java.util.concurrent.atomic.AtomicLong();
            Thread syncer = new Thread(() -> {
                try {
                    while (!stop.get() || prefixes.get() < 3) {
                        out.syncPrefix(published.get());
                        prefixes.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            syncer.start();
            try {
                for (int i = 0; i < 400; i++) {
                    byte[] piece = new byte[random.nextInt(10) == 0 ? random.nextInt(10_000) : random.nextInt(200)];
                    random.nextBytes(piece);
                    if (random.nextBoolean()) {
                        out.append(piece);
                    } else {
                        ByteBuf buf = Unpooled.wrappedBuffer(piece);
                        out.append(buf);
                        buf.release();
                    }
                    expected.write(piece);
                    out.flush();
                    published.set(out.size());
                    if (random.nextInt(50) == 0) {
                        out.sync();
                    }
                }
                out.close();
            } finally {
                stop.set(true);
                syncer.join();
            }
            assertThat(failure.get()).as("seed %s, mapped %s", seed, mapped).isNull();
            assertThat(Corruptor.of(storage, file).content()).as("seed %s, mapped %s", seed, mapped)
                    .isEqualTo(expected.toByteArray());
        }
    }

    /** Creates {@code name} in {@link #dir} holding the concatenated {@code parts}. */
    Path write(String name, String... parts) throws IOException {
        Path file = dir.resolve(name);
        try (WritableFile out = storage.create(file)) {
            for (String part : parts) {
                out.append(bytes(part));
            }
        }
        return file;
    }

    String readAll(Path file) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try (SequentialFile in = storage.openSequential(file)) {
            byte[] buffer = new byte[3];
            for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
                content.write(buffer, 0, n);
            }
        }
        return content.toString(UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
