package org.lsmtree.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.storage.WritableFile;

/** Each kind of damage {@link Corruptor} does, through a storage and on a plain path. */
class CorruptorTest {

    private CrashSimulatingStorage storage;
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        storage = CrashSimulatingStorage.create();
        Path dir = storage.path("/db");
        storage.createDirectories(dir);
        file = dir.resolve("000001.ldb");
        try (WritableFile out = storage.create(file)) {
            out.append(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            out.sync();
        }
        storage.syncDirectory(dir);
    }

    @AfterEach
    void tearDown() throws IOException {
        storage.close();
    }

    @Test
    void flipBitInvertsOneBitOnly() throws IOException {
        Corruptor.of(storage, file).flipBit(2, 7).flipBit(0, 0);

        assertThat(Corruptor.of(storage, file).content())
                .containsExactly(0, 2, (byte) 0x83, 4, 5, 6, 7, 8);
    }

    @Test
    void setByteReplacesOneByte() throws IOException {
        Corruptor.of(storage, file).setByte(7, 0xff);

        assertThat(Corruptor.of(storage, file).content()).containsExactly(1, 2, 3, 4, 5, 6, 7, -1);
    }

    @Test
    void zeroRangeZeroesExactlyTheRange() throws IOException {
        Corruptor.of(storage, file).zeroRange(2, 3);

        assertThat(Corruptor.of(storage, file).content()).containsExactly(1, 2, 0, 0, 0, 6, 7, 8);
    }

    @Test
    void truncateKeepsAPrefix() throws IOException {
        Corruptor.of(storage, file).truncate(3);

        assertThat(Corruptor.of(storage, file).content()).containsExactly(1, 2, 3);
        assertThat(storage.size(file)).isEqualTo(3);
    }

    @Test
    void appendGarbageKeepsTheOriginalAndIsReproducible() throws IOException {
        Corruptor.of(storage, file).appendGarbage(new byte[] {9, 9});
        byte[] explicit = Corruptor.of(storage, file).content();
        Corruptor.of(storage, file).truncate(8).appendGarbage(16, 5);
        byte[] first = Corruptor.of(storage, file).content();
        Corruptor.of(storage, file).truncate(8).appendGarbage(16, 5);

        assertThat(explicit).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 9);
        assertThat(first).hasSize(24).startsWith(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(Corruptor.of(storage, file).content()).isEqualTo(first);
    }

    @Test
    void damageSurvivesACrash() throws IOException {
        Corruptor.of(storage, file).setByte(0, 42);

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(Corruptor.of(after, after.path("/db/000001.ldb")).content())
                .startsWith(42, 2, 3);
    }

    @Test
    void offsetsOutsideTheFileAreRejectedNamingIt() {
        Corruptor corruptor = Corruptor.of(storage, file);

        assertThatThrownBy(() -> corruptor.flipBit(8, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("000001.ldb");
        assertThatThrownBy(() -> corruptor.zeroRange(6, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> corruptor.truncate(9))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> corruptor.flipBit(0, 8))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worksOnAPathOfTheDefaultFileSystem(@TempDir Path tempDir) throws IOException {
        Path plain = tempDir.resolve("CURRENT");
        Files.write(plain, new byte[] {10, 20, 30});

        Corruptor.of(plain).flipBit(1, 0).truncate(2);

        assertThat(Files.readAllBytes(plain)).containsExactly(10, 21);
    }
}
