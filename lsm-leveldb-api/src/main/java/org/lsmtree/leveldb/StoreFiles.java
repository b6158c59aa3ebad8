package org.lsmtree.leveldb;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;

/**
 * Deleting a store as LevelDB's {@code DestroyDB} does: under the store's lock (so an open store
 * is never deleted from under its owner, in this process or another), every file with a name
 * LevelDB gives (see {@link FileNames#parse(String)}: {@code CURRENT}, {@code LOCK}, {@code LOG},
 * {@code LOG.old}, {@code MANIFEST-*}, {@code *.log}, {@code *.ldb}, {@code *.sst},
 * {@code *.dbtmp}), then the lock file, then the directory if nothing else is in it. Stateless.
 */
final class StoreFiles {
    private StoreFiles() {}

    /** Deletes the store in {@code directory}; nothing to do when the directory does not exist. */
    static void destroy(Path directory) throws IOException {
        Storage storage = NioStorage.of(directory.getFileSystem());
        if (!storage.exists(directory)) {
            return;
        }
        Path lockFile = FileNames.lockFile(directory);
        StorageLock lock = storage.lock(lockFile); // fails while the store is open
        try {
            for (Path file : storage.list(directory)) {
                boolean ours = FileNames.parse(file).map(parsed -> parsed.type() != FileType.LOCK).orElse(false);
                if (ours) {
                    storage.delete(file);
                }
            }
        } finally {
            lock.close();
        }
        if (storage.exists(lockFile)) {
            storage.delete(lockFile);
        }
        try {
            Files.deleteIfExists(directory);
        } catch (DirectoryNotEmptyException e) {
            // files LevelDB did not name stay, and so does their directory
        }
    }
}
