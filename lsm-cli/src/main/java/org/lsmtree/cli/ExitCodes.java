package org.lsmtree.cli;

/** The exit codes of {@code lsm}, documented in its help and the README. */
final class ExitCodes {
    /** Everything worked, and nothing wrong was found. */
    static final int OK = 0;
    /** The command ran, and found problems in the data (a damaged file, a failed verification). */
    static final int PROBLEMS = 1;
    /** A usage error, a missing file, a file of the wrong kind, or an I/O error. */
    static final int USAGE = 2;

    private ExitCodes() {}
}
