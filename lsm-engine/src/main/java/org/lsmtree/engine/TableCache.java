package org.lsmtree.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.FileMetadata;

/**
 * Open tables by file number, opened on first use and kept open until the file leaves every
 * live version ({@link #evict}). A bounded cache with eviction arrives with the caching issue;
 * until then every live table stays open. Thread-safe.
 */
final class TableCache implements java.io.Closeable {
    private final Storage storage;
    private final Path directory;
    private final TableFormat format;
    private final ConcurrentHashMap<Long, TableFormat.TableSource> open = new ConcurrentHashMap<>();

    TableCache(Storage storage, Path directory, TableFormat format) {
        this.storage = storage;
        this.directory = directory;
        this.format = format;
    }

    /** The open table of {@code file}, opening it (as {@code .ldb}, else legacy {@code .sst}) when needed. */
    TableFormat.TableSource get(FileMetadata file) throws IOException {
        try {
            return open.computeIfAbsent(file.number(), number -> {
                try {
                    return format.open(path(number), number, file.size());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The path of table {@code number}: {@code NNNNNN.ldb}, or {@code NNNNNN.sst} when only that exists. */
    Path path(long number) throws IOException {
        Path table = FileNames.tableFile(directory, number);
        if (!storage.exists(table)) {
            Path legacy = FileNames.legacyTableFile(directory, number);
            if (storage.exists(legacy)) {
                return legacy;
            }
        }
        return table;
    }

    /** Closes the table of {@code number} if open (its file is about to be deleted). */
    void evict(long number) throws IOException {
        TableFormat.TableSource table = open.remove(number);
        if (table != null) {
            table.close();
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Long number : open.keySet()) {
            try {
                evict(number);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
