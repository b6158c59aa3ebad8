package org.lsmtree.cli;

import picocli.CommandLine.Command;

/** {@code lsm wal}: the write-ahead log commands. */
@Command(name = "wal", mixinStandardHelpOptions = true, description = "Inspect a write-ahead log (NNNNNN.log).",
        subcommands = WalDumpCommand.class)
final class WalCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException(ExitCodes.USAGE, "missing subcommand; try: lsm wal dump <file>");
    }
}
