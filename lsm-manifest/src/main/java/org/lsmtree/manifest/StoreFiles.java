package org.lsmtree.manifest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.storage.Storage;

/**
 * Compares a store directory's files with what its MANIFEST says is live. A table is live when
 * the state holds its number ({@code NNNNNN.ldb}, or the older {@code NNNNNN.sst}); a log is live
 * when its number is at least the log number or is the previous log number (LevelDB replays
 * those); the live MANIFEST is the one {@code CURRENT} names. Everything else of ours that is
 * numbered is an orphan. A missing log is not reported: a store may have none yet. Stateless.
 */
final class StoreFiles {
    private StoreFiles() {}

    static void check(Storage storage, Path directory, String liveManifest, LevelState state,
            VerificationReport.Builder report) throws IOException {
        report.checked("every table the MANIFEST references is in the directory")
                .checked("every table, log, MANIFEST and temp file in the directory is referenced");
        Set<Long> tablesPresent = new HashSet<>();
        long orphans = 0;
        for (Path path : storage.list(directory)) {
            String name = path.getFileName().toString();
            Optional<FileNames.Parsed> parsed = FileNames.parse(name);
            if (parsed.isEmpty()) {
                continue;
            }
            long number = parsed.get().number();
            String orphan = switch (parsed.get().type()) {
                case TABLE, LEGACY_TABLE -> {
                    tablesPresent.add(number);
                    yield state.levelOf(number).isPresent() ? null : "ORPHAN_TABLE";
                }
                case LOG -> number >= state.logNumber() || number == state.previousLogNumber() ? null : "ORPHAN_LOG";
                case MANIFEST -> name.equals(liveManifest) ? null : "ORPHAN_MANIFEST";
                case TEMP -> "ORPHAN_TEMP";
                default -> null;
            };
            if (orphan != null) {
                orphans++;
                report.problem(-1, orphan, name + " is not referenced by " + liveManifest);
            }
        }
        long missing = 0;
        for (Map.Entry<Long, Integer> live : state.liveFiles().entrySet()) {
            if (!tablesPresent.contains(live.getKey())) {
                missing++;
                report.problem(-1, "MISSING_TABLE", FileNames.tableFileName(live.getKey()) + " (level "
                        + live.getValue() + ") is referenced by " + liveManifest + " but missing");
            }
        }
        report.count("missing tables", missing).count("orphaned files", orphans);
    }
}
