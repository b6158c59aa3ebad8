package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.UserComparator;
import org.lsmtree.format.log.LogReader;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.manifest.VersionEditCodec;

/**
 * The comparator a store's keys are ordered by, as its MANIFEST names it. {@code lsm} knows
 * LevelDB's bytewise order only: a store ordered otherwise (Chrome's IndexedDB uses
 * {@code idb_cmp1}) is refused by the commands that open it, with a pointer to the dumps, which
 * read files in file order; {@code manifest dump} applies edits with {@link #named} and says that
 * its order checks are bytewise. Stateless.
 */
final class StoreComparator {
    private StoreComparator() {}

    /** LevelDB names the comparator in a MANIFEST's first edit; a few more are looked at, no further. */
    private static final int EDITS_LOOKED_AT = 4;

    /** The comparator name the first edits of {@code manifest} record, if any can be read. */
    static Optional<String> nameIn(Storage storage, Path manifest) {
        try (LogReader log = new LogReader(storage.openSequential(manifest), problem -> { }).withoutPreallocation()) {
            int edits = 0;
            for (byte[] record = log.readRecord(); record != null && edits++ < EDITS_LOOKED_AT;
                    record = log.readRecord()) {
                VersionEdit edit = VersionEditCodec.INSTANCE.decode(record);
                if (edit.comparatorName().isPresent()) {
                    return edit.comparatorName();
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // the commands that read it report the damage
        }
        return Optional.empty();
    }

    /** The comparator the store's MANIFEST names when it is not LevelDB's bytewise one. */
    static Optional<String> foreign(Path directory) {
        Storage storage = NioStorage.onDefaultFileSystem();
        try {
            return nameIn(storage, directory.resolve(CurrentFile.read(storage, directory)))
                    .filter(name -> !name.equals(BytewiseComparator.NAME));
        } catch (IOException unreadable) {
            return Optional.empty(); // no CURRENT, or a damaged one: the engine's open says what is wrong
        }
    }

    /** Refuses a store whose MANIFEST names a comparator other than LevelDB's bytewise one. */
    static void requireBytewise(Path directory) {
        Optional<String> name = foreign(directory);
        if (name.isPresent()) {
            throw new CliException(ExitCodes.USAGE, directory + ": its keys are ordered by the comparator '"
                    + EditText.name(name.get()) + "', not LevelDB's bytewise order, which is all lsm knows;"
                    + " its entries read in file order with lsm scan " + directory + ", its files with lsm sst dump "
                    + directory + " and lsm wal dump " + directory);
        }
    }

    /** Bytewise order under another comparator's name: lets a MANIFEST of that name be replayed. */
    static UserComparator named(String name) {
        return new UserComparator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int compare(byte[] a, byte[] b) {
                return BytewiseComparator.INSTANCE.compare(a, b);
            }

            @Override
            public byte[] findShortestSeparator(byte[] start, byte[] limit) {
                return start;
            }

            @Override
            public byte[] findShortSuccessor(byte[] key) {
                return key;
            }
        };
    }
}
