package org.lsmtree.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * What every command writes to and reads from: the process's streams (or a test's), whether a
 * person sits at a terminal (standard input and output: line editing, prompts), whether standard
 * error is a terminal (progress bars), whether {@code --debug} asked for stack traces and whether
 * {@code --json} asked for JSON (failures then print JSON too). Immutable.
 */
record Context(InputStream in, PrintStream out, PrintStream err, boolean terminal, boolean progress, boolean debug,
        boolean json) {}
