package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.FileMetadata;

/**
 * Writes the new tables of a flush or compaction with the store's write lock let go, so that
 * writes and reads go on meanwhile. Each table takes a file number from the {@link VersionSet} as
 * a pending output (no deletion of obsolete files touches it) and the caller collects the numbers
 * to forget once the tables are listed by a version or discarded. The tables are synced, and the
 * directory too, before the lock is taken again.
 *
 * <p>Thread-safe: each call works on its own tables.
 */
final class TableOutputs {
    private final ReentrantLock writeLock;
    private final VersionSet versions;
    private final Storage storage;
    private final Path directory;
    private final TableFormat format;
    private final UserComparator userComparator;

    TableOutputs(ReentrantLock writeLock, VersionSet versions, Storage storage, Path directory, TableFormat format,
            UserComparator userComparator) {
        this.writeLock = writeLock;
        this.versions = versions;
        this.storage = storage;
        this.directory = directory;
        this.format = format;
        this.userComparator = userComparator;
    }

    /**
     * Writes the tables {@code filler} fills, cut at about {@code targetSize}, adding each number
     * taken to {@code numbers}. Requires the write lock, which is let go while the tables are
     * written and held again when this returns or throws.
     */
    List<FileMetadata> write(List<Long> numbers, long targetSize, TableWriting.Filler filler) throws IOException {
        assert writeLock.getHoldCount() == 1 : "the write lock must really be let go while tables are written";
        writeLock.unlock();
        try {
            return TableWriting.writeAll(storage, directory, format, () -> {
                long number = versions.newOutputNumber();
                numbers.add(number);
                return number;
            }, targetSize, userComparator, filler);
        } finally {
            writeLock.lock();
        }
    }
}
