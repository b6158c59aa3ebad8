package org.lsmtree.leveldb;

import java.io.IOException;
import java.nio.file.Path;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;
import org.lsmtree.wal.WalRecoveryMode;

/**
 * {@code DBFactory.repair}, limited to what the engine's public API can do: the store is opened
 * with its write-ahead logs replayed in {@link WalRecoveryMode#SKIP_ANY_CORRUPTED} mode (each
 * damaged record skipped, with the rest of its 32 KiB block, and the replay goes on) and without
 * paranoid checks; opening writes everything replayed to a level-0 table and drops the logs, so
 * the store opens with default options afterwards. What LevelDB's {@code RepairDB} also does,
 * rebuilding the MANIFEST by scanning every table, is not done: a missing or damaged MANIFEST
 * makes repair fail with an {@link IOException} that says so. Stateless.
 */
final class Repair {
    private Repair() {}

    static void run(Path directory, Options options, InfoLog log) throws IOException {
        Options tolerant = options.withCreateIfMissing(false).withErrorIfExists(false).withParanoidChecks(false)
                .withWalRecoveryMode(WalRecoveryMode.SKIP_ANY_CORRUPTED);
        try (Db db = Db.open(directory, tolerant)) {
            log.line("repaired %s: logs replayed skipping damaged records, last sequence %s", directory,
                    db.property("lsm.last-sequence"));
        } catch (IOException e) {
            throw new IOException("repair of " + directory + " failed: " + e.getMessage()
                    + " (repair salvages damaged write-ahead logs only; it cannot rebuild a missing or damaged"
                    + " MANIFEST from the tables yet)", e);
        }
    }
}
