package org.lsmtree.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.FileType;
import org.lsmtree.format.storage.Storage;

/**
 * The files of a store's directory, by LevelDB's names. Used at open to tell an empty folder
 * from a store and from a folder of something else, and to find the logs to replay and the
 * files nothing references any more. Immutable snapshot of one listing.
 */
final class StoreDirectory {
    /** A directory entry with its parsed name (empty when the name is none of a store's). */
    record Entry(Path path, Optional<FileNames.Parsed> parsed) {
        boolean is(FileType type) {
            return parsed.isPresent() && parsed.get().type() == type;
        }

        long number() {
            return parsed.orElseThrow().number();
        }
    }

    private final List<Entry> entries;

    private StoreDirectory(List<Entry> entries) {
        this.entries = entries;
    }

    static StoreDirectory list(Storage storage, Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path path : storage.list(directory)) {
            entries.add(new Entry(path, FileNames.parse(path)));
        }
        return new StoreDirectory(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** Entries of {@code type}, ascending by number. */
    List<Entry> ofType(FileType type) {
        List<Entry> matching = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.is(type)) {
                matching.add(entry);
            }
        }
        matching.sort((a, b) -> Long.compareUnsigned(a.number(), b.number()));
        return matching;
    }

    /**
     * The first entry that a new store must not be created beside: anything but our lock and
     * info logs (which a failed earlier open may have left), and what a creation that failed or
     * crashed before its {@code CURRENT} was in place leaves: {@code MANIFEST-000001} and the
     * {@code CURRENT} temp file {@code 000001.dbtmp}. Without a {@code CURRENT} no open ever
     * finished, so no write was acknowledged; creation writes both files again.
     */
    Optional<Entry> firstForeign() {
        for (Entry entry : entries) {
            boolean interruptedCreation = (entry.is(FileType.MANIFEST) || entry.is(FileType.TEMP)) && entry.number() == 1;
            if (!entry.is(FileType.LOCK) && !entry.is(FileType.INFO_LOG) && !entry.is(FileType.OLD_INFO_LOG)
                    && !interruptedCreation) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** The largest file number any numbered file here carries, or 0. */
    long largestNumber() {
        long largest = 0;
        for (Entry entry : entries) {
            if (entry.parsed().isPresent()) {
                largest = Math.max(largest, entry.number());
            }
        }
        return largest;
    }
}
