package org.lsmtree.cli;

import picocli.CommandLine.Command;

/** {@code lsm sst}: the sorted-table commands. */
@Command(name = "sst", mixinStandardHelpOptions = true, description = "Inspect a sorted table (NNNNNN.ldb or .sst).",
        subcommands = SstDumpCommand.class)
final class SstCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException(ExitCodes.USAGE, "missing subcommand; try: lsm sst dump <file>");
    }
}
