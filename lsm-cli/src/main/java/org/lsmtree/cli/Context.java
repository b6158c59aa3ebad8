package org.lsmtree.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * What every command writes to and reads from: the process's streams (or a test's), whether a
 * person sits at a terminal, and whether {@code --debug} asked for stack traces. Immutable.
 */
record Context(InputStream in, PrintStream out, PrintStream err, boolean terminal, boolean debug) {}
