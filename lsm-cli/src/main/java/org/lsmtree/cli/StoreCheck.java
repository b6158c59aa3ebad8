package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.VerificationReport.Problem;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.StorageLock;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestVerifier;
import org.lsmtree.sstable.TableOptions;
import org.lsmtree.sstable.TableReader;

/**
 * The store-wide part of {@code lsm verify <dir>}: {@link ManifestVerifier#verifyStore} (CURRENT,
 * the MANIFEST, missing and unreferenced files), then what only the MANIFEST and the tables
 * together show: each live table's size and its first and last key against the MANIFEST's
 * record of them (two tables swapped on disk pass every checksum, yet no read can use them).
 *
 * <p>Files the MANIFEST does not reference (a partial table of an interrupted compaction, a
 * {@code .dbtmp}, logs and MANIFESTs older than the live ones) are warnings: LevelDB deletes them
 * on its next open. A store in use (its LOCK held) is verified as the MANIFEST was when read,
 * which the verdict notes. Stateless.
 */
final class StoreCheck {
    /** Kinds of {@link ManifestVerifier#verifyStore} that are leftovers, not damage. */
    static final Set<String> LEFTOVER_KINDS = Set.of("ORPHAN_TABLE", "ORPHAN_LOG", "ORPHAN_MANIFEST", "ORPHAN_TEMP");

    private StoreCheck() {}

    /** The store's verdict, and the state its MANIFEST adds up to (for telling live files from leftovers). */
    record Result(Verdict verdict, LevelState state) {}

    static Result verify(Storage storage, Path directory) throws IOException {
        ManifestVerifier.Outcome outcome = new ManifestVerifier().verifyStore(storage, directory);
        LevelState state = outcome.state();
        List<Problem> tableProblems = new ArrayList<>();
        String manifest = outcome.report().problems().stream().anyMatch(p -> p.kind().equals("CURRENT")) ? null
                : currentName(storage, directory);
        for (int level = 0; level < LevelSummary.LEVELS; level++) {
            for (FileMetadata file : state.files(level)) {
                checkTable(storage, directory, file, state.comparator(), manifest, tableProblems);
            }
        }
        Verdict verdict = Verdict.of(outcome.report(), p -> LEFTOVER_KINDS.contains(p.kind()))
                .with(tableProblems, inUseNote(storage, directory, manifest));
        return new Result(verdict, state);
    }

    /** Whether {@code file} of the directory is one the live state uses (else its damage is a warning). */
    static boolean isLive(FileNames.Parsed file, LevelState state) {
        return switch (file.type()) {
            case TABLE, LEGACY_TABLE -> state.levelOf(file.number()).isPresent();
            case LOG -> file.number() >= state.logNumber() || file.number() == state.previousLogNumber();
            case TEMP -> false;
            default -> true;
        };
    }

    private static void checkTable(Storage storage, Path directory, FileMetadata file, InternalKeyComparator comparator,
            String manifest, List<Problem> problems) throws IOException {
        Path path = FileNames.tableFile(directory, file.number());
        if (!storage.exists(path)) {
            path = FileNames.legacyTableFile(directory, file.number());
            if (!storage.exists(path)) {
                return; // MISSING_TABLE, reported by verifyStore
            }
        }
        String name = path.getFileName().toString();
        long size = storage.size(path);
        if (size != file.size()) {
            problems.add(new Problem(-1, "TABLE_SIZE", name + " is " + size + " bytes, " + manifest + " says "
                    + file.size() + " (a table swapped, truncated or grown)"));
            return;
        }
        byte[] first;
        byte[] last;
        try (TableReader table = TableReader.open(storage, path, TableOptions.defaults());
                InternalIterator iterator = table.iterator(true)) {
            iterator.seekToFirst();
            first = iterator.isValid() ? iterator.key() : null;
            iterator.seekToLast();
            last = iterator.isValid() ? iterator.key() : null;
        } catch (CorruptionException e) {
            return; // the table's own verification reports its damage
        }
        if (first == null || comparator.compare(first, file.smallest()) != 0
                || comparator.compare(last, file.largest()) != 0) {
            problems.add(new Problem(-1, "TABLE_RANGE", name + " holds " + range(first, last) + ", " + manifest
                    + " says " + range(file.smallest(), file.largest())));
        }
    }

    private static String range(byte[] first, byte[] last) {
        return first == null ? "no entries" : "[" + InternalKeyText.render(first, false) + " .. "
                + InternalKeyText.render(last, false) + "]";
    }

    private static String currentName(Storage storage, Path directory) {
        try {
            return org.lsmtree.manifest.CurrentFile.read(storage, directory);
        } catch (IOException e) {
            return "the MANIFEST";
        }
    }

    /** A note when another open holds the store's LOCK; the probe takes and at once releases it. */
    private static String inUseNote(Storage storage, Path directory, String manifest) {
        Path lock = FileNames.lockFile(directory);
        try {
            if (!storage.exists(lock)) {
                return null;
            }
            try (StorageLock held = storage.lock(lock)) {
                return null;
            }
        } catch (IOException e) {
            return "the store is in use (its LOCK is held): verified as " + (manifest == null ? "its MANIFEST" : manifest)
                    + " was at the moment of reading; files written since are not checked";
        }
    }
}
