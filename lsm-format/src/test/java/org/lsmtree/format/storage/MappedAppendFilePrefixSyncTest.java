package org.lsmtree.format.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MappedAppendFile#syncPrefix}: what a prefix forced, a later sync does not force again;
 * every byte is forced exactly once however prefixes and syncs interleave across threads; a
 * prefix after close, or past the mapping, is handled.
 */
class MappedAppendFilePrefixSyncTest {
    private static final int CHUNK = 8192;

    @TempDir Path tempDir;

    private MappedAppendFile create(String name) throws IOException {
        WritableFile file = NioStorage.onDefaultFileSystem().createMappedAppend(tempDir.resolve(name), CHUNK);
        assertThat(file).isInstanceOf(MappedAppendFile.class);
        return (MappedAppendFile) file;
    }

    @Test
    void aSyncAfterAPrefixForcesOnlyTheRest() throws IOException {
        try (MappedAppendFile file = create("a.log")) {
            file.append(new byte[5 * CHUNK + 100]);
            file.syncPrefix(3 * CHUNK + 7);
            assertThat(file.forcedBytes()).isEqualTo(3 * CHUNK + 7);
            file.syncPrefix(CHUNK); // already durable: nothing to force
            assertThat(file.forcedBytes()).isEqualTo(3 * CHUNK + 7);
            file.append(new byte[1000]);
            file.sync();
            assertThat(file.forcedBytes()).isEqualTo(5 * CHUNK + 1100);
            file.sync();
            assertThat(file.forcedBytes()).isEqualTo(5 * CHUNK + 1100);
        }
    }

    @Test
    void everyByteIsForcedOnceWhilePrefixesRaceAppendsAndSyncs() throws Exception {
        long seed = Long.getLong("lsm.seed", System.nanoTime());
        System.out.println("MappedAppendFilePrefixSyncTest seed " + seed + " (replay: -Dlsm.seed=" + seed + ")");
        Random random = new Random(seed);
        MappedAppendFile file = create("race.log");
        AtomicLong published = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread syncer = new Thread(() -> {
            try {
                for (int i = 0; i < 2000; i++) {
                    file.syncPrefix(published.get());
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        syncer.start();
        byte[] expected = new byte[300 * 600];
        int size = 0;
        while (size < expected.length) {
            int length = Math.min(expected.length - size, random.nextInt(600));
            byte[] piece = new byte[length];
            random.nextBytes(piece);
            file.append(piece);
            System.arraycopy(piece, 0, expected, size, length);
            size += length;
            published.set(size);
            if (random.nextInt(40) == 0) {
                file.sync();
            }
        }
        syncer.join();
        file.sync();
        assertThat(failure.get()).as("seed %s", seed).isNull();
        assertThat(file.forcedBytes()).as("seed %s", seed).isEqualTo(expected.length);
        file.close();
        assertThat(Files.readAllBytes(tempDir.resolve("race.log"))).as("seed %s", seed).isEqualTo(expected);
    }

    @Test
    void aPrefixAfterCloseDoesNothing() throws IOException {
        MappedAppendFile file = create("closed.log");
        file.append(new byte[3 * CHUNK]);
        file.close();
        file.syncPrefix(3 * CHUNK);
        assertThat(file.forcedBytes()).isZero();
        assertThat(Files.size(tempDir.resolve("closed.log"))).isEqualTo(3 * CHUNK);
    }

    @Test
    void aPrefixPastTheMappedBytesIsACallersMistake() throws IOException {
        try (MappedAppendFile file = create("past.log")) {
            file.append(new byte[10]);
            assertThatThrownBy(() -> file.syncPrefix(2 * CHUNK + 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("past.log").hasMessageContaining("past the mapped");
            assertThatThrownBy(() -> file.syncPrefix(-1)).isInstanceOf(IllegalArgumentException.class);
            file.sync(); // the refused prefix left the file usable
            assertThat(file.forcedBytes()).isEqualTo(10);
        }
    }
}
