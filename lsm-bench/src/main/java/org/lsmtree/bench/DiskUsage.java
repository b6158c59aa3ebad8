package org.lsmtree.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What a store costs on disk: the bytes this process has written to storage (Linux's
 * {@code /proc/self/io} {@code write_bytes}, which counts page-cache pages as they are dirtied, so
 * the WAL, flushes and compactions of every thread are in it), and the bytes in a directory.
 */
final class DiskUsage {
    private static final Path PROC_IO = Path.of("/proc/self/io");

    private DiskUsage() {}

    /** Bytes this process has caused to be written to storage so far, or -1 when unknown. */
    static long processWriteBytes() {
        try {
            for (String line : Files.readAllLines(PROC_IO)) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The sum of the sizes of the regular files under directory. */
    static long directoryBytes(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // deleted by a compaction while we walked
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Deletes directory and everything under it; a missing directory is fine. */
    static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }
}
