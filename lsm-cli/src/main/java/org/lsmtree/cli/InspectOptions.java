package org.lsmtree.cli;

import picocli.CommandLine.Option;

/** The options every inspection command shares: {@code --json} and {@code --hex}. */
final class InspectOptions {
    @Option(names = "--json", description = "Write machine-readable JSON instead of text.")
    boolean json;

    @Option(names = "--hex", description = "Print every key and value as hex, even printable ones.")
    boolean hex;
}
