package org.lsmtree.cli;

import org.lsmtree.engine.Options;
import org.lsmtree.wal.WalRecoveryMode;
import picocli.CommandLine.Option;

/**
 * The options of every command that opens a store through the engine: what WAL damage to
 * tolerate. The default is the engine's ({@code tolerate_corrupted_tail}); a store whose WAL is
 * damaged in the middle opens with {@code point_in_time} (keep what precedes the damage) or
 * {@code skip_any_corrupted} (drop each damaged record, as C++ LevelDB does).
 */
final class StoreOptions {
    @Option(names = "--wal-recovery", paramLabel = "<mode>",
            description = {"What WAL damage to tolerate on open: tolerate_corrupted_tail (the default),",
                "absolute_consistency, point_in_time, skip_any_corrupted."})
    WalRecoveryMode walRecovery;

    /** The engine's options for this command. */
    Options engineOptions() {
        Options options = Options.defaults();
        return walRecovery == null ? options : options.withWalRecoveryMode(walRecovery);
    }
}
