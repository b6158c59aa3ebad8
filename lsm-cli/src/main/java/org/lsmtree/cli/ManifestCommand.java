package org.lsmtree.cli;

import picocli.CommandLine.Command;

/** {@code lsm manifest}: the MANIFEST commands. */
@Command(name = "manifest", mixinStandardHelpOptions = true, description = "Inspect a MANIFEST (MANIFEST-NNNNNN).",
        subcommands = ManifestDumpCommand.class)
final class ManifestCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException(ExitCodes.USAGE, "missing subcommand; try: lsm manifest dump <file>");
    }
}
