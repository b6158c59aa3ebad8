package org.lsmtree.format.log;

/**
 * Receives each problem a {@link LogReader} meets, in the order met: a record abandoned because of
 * damage in a later fragment is reported right after that damage, so its offset is the smaller of
 * the two. The reader only classifies and
 * skips; what to tolerate is the caller's policy (the WAL's recovery mode, the MANIFEST's strictness).
 */
@FunctionalInterface
public interface LogReporter {

    /** Called once per problem. May throw to stop reading: the exception propagates out of the read. */
    void report(LogProblem problem) throws java.io.IOException;

    /** A reporter that ignores everything (for tools that only want the records). */
    static LogReporter ignoring() {
        return problem -> { };
    }
}
