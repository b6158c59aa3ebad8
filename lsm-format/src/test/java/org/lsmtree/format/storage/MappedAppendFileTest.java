package org.lsmtree.format.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NioStorage#createMappedAppend}: appends through a mapping grown in chunks on the default
 * file system, the channel writer elsewhere; a closed file is what the channel writer writes, an
 * abandoned one holds every appended byte and zeros to a whole chunk.
 */
class MappedAppendFileTest {
    private static final int CHUNK = 8192; // small, so that appends cross many chunk boundaries

    @TempDir Path tempDir;

    private final NioStorage storage = NioStorage.onDefaultFileSystem();

    /** Appends seeded random pieces (some larger than a chunk, some empty) as arrays and as ByteBufs. */
    private static byte[] appendRandomPieces(long seed, WritableFile file, int pieces) throws IOException {
        Random random = new Random(seed);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < pieces; i++) {
            int length = random.nextInt(10) == 0 ? random.nextInt(3 * CHUNK) : random.nextInt(300);
            byte[] piece = new byte[length + 4];
            random.nextBytes(piece);
            if (random.nextBoolean()) {
                file.append(piece, 2, length);
            } else {
                ByteBuf buf = Unpooled.wrappedBuffer(piece, 2, length);
                file.append(buf);
                assertThat(buf.readableBytes()).isEqualTo(length);
                buf.release();
            }
            all.write(piece, 2, length);
            assertThat(file.size()).isEqualTo(all.size());
            if (random.nextInt(20) == 0) {
                file.sync();
            }
        }
        return all.toByteArray();
    }

    @Test
    void aClosedFileIsByteIdenticalToTheChannelWritersAcrossChunkBoundaries() throws IOException {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("MappedAppendFileTest seed " + seed + " (replay: -Dlsm.seed=" + seed + ")");
        Path mapped = tempDir.resolve("mapped.log");
        Path streamed = tempDir.resolve("streamed.log");
        byte[] expected;
        try (WritableFile file = storage.createMappedAppend(mapped, CHUNK)) {
            assertThat(file).isInstanceOf(MappedAppendFile.class);
            expected = appendRandomPieces(seed, file, 400);
        }
        try (WritableFile file = storage.create(streamed)) {
            assertThat(appendRandomPieces(seed, file, 400)).as("seed " + seed).isEqualTo(expected);
        }
        assertThat(Files.readAllBytes(mapped)).as("seed " + seed).isEqualTo(expected)
                .isEqualTo(Files.readAllBytes(streamed));
        assertThat(expected.length).as("seed " + seed).isGreaterThan(3 * CHUNK);
    }

    @Test
    void anAbandonedFileHoldsEveryAppendedByteThenZerosToAWholeChunk() throws IOException {
        Path path = tempDir.resolve("abandoned.log");
        WritableFile file = storage.createMappedAppend(path, CHUNK);
        byte[] expected = appendRandomPieces(7, file, 100);
        // no close: read the file as a process that died now would leave it
        byte[] onDisk = Files.readAllBytes(path);
        assertThat(onDisk.length % CHUNK).isZero();
        assertThat(onDisk.length).isGreaterThan(expected.length).isLessThanOrEqualTo(expected.length + CHUNK);
        assertThat(Arrays.copyOf(onDisk, expected.length)).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(onDisk, expected.length, onDisk.length)).containsOnly(0);
        file.close();
        assertThat(Files.readAllBytes(path)).isEqualTo(expected);
    }

    @Test
    void aFileThatEndsExactlyAtAChunkBoundaryDoesNotGrowAnother() throws IOException {
        Path path = tempDir.resolve("exact.log");
        WritableFile file = storage.createMappedAppend(path, CHUNK);
        file.append(new byte[CHUNK]);
        assertThat(Files.size(path)).isEqualTo(CHUNK);
        file.append(new byte[] {1});
        assertThat(Files.size(path)).isEqualTo(2 * CHUNK);
        file.sync();
        file.close();
        assertThat(Files.size(path)).isEqualTo(CHUNK + 1);
    }

    @Test
    void anEmptyClosedFileIsEmpty() throws IOException {
        Path path = tempDir.resolve("empty.log");
        storage.createMappedAppend(path, CHUNK).close();
        assertThat(Files.size(path)).isZero();
    }

    @Test
    void createReplacesAnExistingFile() throws IOException {
        Path path = tempDir.resolve("old.log");
        Files.write(path, new byte[3 * CHUNK + 5]);
        try (WritableFile file = storage.createMappedAppend(path, CHUNK)) {
            file.append(new byte[] {1, 2, 3});
        }
        assertThat(Files.readAllBytes(path)).containsExactly(1, 2, 3);
    }

    @Test
    void aClosedFileRefusesAppendsAndSyncs() throws IOException {
        WritableFile file = storage.createMappedAppend(tempDir.resolve("closed.log"), CHUNK);
        file.close();
        file.close(); // harmless
        assertThatThrownBy(() -> file.append(new byte[1])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed.log");
        assertThatThrownBy(file::sync).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onJimfsTheChannelWriterIsUsed() throws IOException {
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            NioStorage onJimfs = NioStorage.of(jimfs);
            Path path = jimfs.getPath("/000001.log");
            try (WritableFile file = onJimfs.createMappedAppend(path, CHUNK)) {
                assertThat(file).isInstanceOf(NioWritableFile.class);
                file.append(new byte[] {4, 5});
            }
            assertThat(Files.readAllBytes(path)).containsExactly(4, 5);
        }
    }
}
