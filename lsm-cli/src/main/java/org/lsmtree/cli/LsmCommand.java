package org.lsmtree.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top of the {@code lsm} command tree: a shell and one-shot commands over a store, and
 * offline inspection of single files that opens no store and writes nothing.
 */
@Command(name = "lsm", mixinStandardHelpOptions = true, version = "lsm 0.1.0-SNAPSHOT",
        description = "A shell over an lsmtree / LevelDB store, and offline inspection of its files.",
        subcommands = {ShellCommand.class, GetCommand.class, PutCommand.class, DeleteCommand.class, ScanCommand.class,
            LoadCommand.class, DumpCommand.class, CompactCommand.class, ApproxSizeCommand.class, PropertyCommand.class,
            RepairCommand.class, WalCommand.class, SstCommand.class, ManifestCommand.class, VerifyCommand.class, StatsCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  fine", "  1  not found (get of an absent key)",
            "  2  usage error, missing or unreadable file, file of the wrong kind",
            "  3  damage: verify found problems, a dump or a read met a damaged file"})
final class LsmCommand implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show the stack trace of a failure (for reporting bugs).")
    boolean debug;

    @Override
    public void run() {
        throw new CliException(ExitCodes.USAGE, "missing command; try: lsm --help");
    }
}
