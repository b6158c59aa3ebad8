package org.lsmtree.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/**
 * The entry point of the {@code lsm} command. Exit codes ({@link ExitCodes}): 0 fine, 1 not found,
 * 2 a usage or I/O error, 3 damage found in the data. No stack trace reaches the
 * user unless {@code --debug} is given; every failure is one line on standard error.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.console() != null));
    }

    /**
     * Runs {@code lsm args} against the given streams and returns the exit code. {@code terminal}
     * says whether a person is at a terminal (line editing, prompts, progress bars).
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        routeJavaUtilLogging();
        boolean debug = Arrays.asList(args).contains("--debug");
        Context context = new Context(in, out, err, terminal, debug);
        CommandLine commandLine = new CommandLine(new LsmCommand(), new ContextFactory(context));
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> Failures.report(e, context));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            err.println("lsm: " + e.getMessage());
            err.println("try: lsm " + qualifiedName(e.getCommandLine()) + "--help");
            return ExitCodes.USAGE;
        });
        return commandLine.execute(args);
    }

    /**
     * JLine logs through java.util.logging, whose default console handler prints warnings with
     * their stack traces (every shell start when {@code TERM} is unset): send it to SLF4J instead,
     * which the CLI binds to nothing. Idempotent.
     */
    static void routeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    private static String qualifiedName(CommandLine commandLine) {
        String name = commandLine.getCommandSpec().qualifiedName(" ");
        return name.startsWith("lsm") ? name.substring(3).trim() + (name.length() > 3 ? " " : "") : name + " ";
    }
}
