package org.lsmtree.cli;

/**
 * A failure the CLI reports as one line and an exit code: bad input from the user, a file of the
 * wrong kind. Its message is the whole line (after {@code lsm: }).
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
