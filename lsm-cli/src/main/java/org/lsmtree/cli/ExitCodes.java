package org.lsmtree.cli;

/** The exit codes of {@code lsm}, documented in its help, the README and {@code docs/cli.md}. */
final class ExitCodes {
    /** Everything worked, and nothing wrong was found. */
    static final int OK = 0;
    /** The command ran, and what was asked for is not there ({@code get} of an absent key). */
    static final int NOT_FOUND = 1;
    /** A usage error, a missing file, a file of the wrong kind, or an I/O error. */
    static final int USAGE = 2;
    /**
     * Damage in the data: {@code verify} found problems, a dump met a damaged record or block, a
     * read met a corrupt file. The same code from every command.
     */
    static final int DAMAGE = 3;

    private ExitCodes() {}
}
