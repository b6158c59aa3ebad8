package org.lsmtree.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        boolean terminal = System.console() != null;
        // Java cannot tell whether standard error alone is a terminal; the launcher can ([ -t 2 ]).
        String stderrTty = System.getenv("LSM_STDERR_TTY");
        boolean progress = stderrTty != null ? stderrTty.equals("1") : terminal;
        System.exit(run(args, System.in, System.out, System.err, terminal, progress));
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        return run(args, in, out, err, terminal, terminal);
    }

    /**
     * Runs {@code lsm args} against the given streams and returns the exit code. {@code terminal}
     * says whether a person is at a terminal (line editing, prompts, progress bars).
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal, boolean progress) {
        routeJavaUtilLogging();
        boolean debug = Arrays.asList(args).contains("--debug");
        boolean json = Arrays.asList(args).contains("--json");
        Context context = new Context(in, out, err, terminal, progress, debug, json);
        CommandLine commandLine = new CommandLine(new LsmCommand(), new ContextFactory(context));
        commandLine.registerConverter(Path.class, Main::path);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> Failures.report(e, context));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            err.println("lsm: " + usageMessage(e));
            err.println("try: lsm " + qualifiedName(e.getCommandLine()) + "--help");
            return ExitCodes.USAGE;
        });
        try {
            return commandLine.execute(args);
        } catch (Throwable error) { // an Error escapes picocli's handler: out of memory, a stack overflow
            return Failures.reportError(error, inputs(commandLine), context);
        }
    }

    /** The files and directories the command being run was given (for naming them in a failure). */
    private static List<String> inputs(CommandLine commandLine) {
        List<String> paths = new ArrayList<>();
        CommandLine.ParseResult result = commandLine.getParseResult();
        while (result != null) {
            for (CommandLine.Model.PositionalParamSpec positional : result.matchedPositionals()) {
                Object value = positional.getValue();
                if (value instanceof Path path) {
                    paths.add(path.toString());
                } else if (value instanceof List<?> list) {
                    list.stream().filter(Path.class::isInstance).forEach(p -> paths.add(p.toString()));
                }
            }
            result = result.subcommand();
        }
        return paths;
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

    /** A path argument; an empty one is refused here, so no message ever names the file "". */
    private static Path path(String text) {
        if (text.isEmpty()) {
            throw new CommandLine.TypeConversionException("an empty path");
        }
        return Path.of(text);
    }

    /** picocli's message, except an unknown subcommand, which is said plainly. */
    private static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
                && !e.getCommandLine().getSubcommands().isEmpty()
                && e.getCommandLine().getParseResult().originalArgs().size() > 0) {
            String word = unmatched.getUnmatched().get(0);
            String parent = qualifiedName(e.getCommandLine());
            if (!word.startsWith("-")) {
                return "unknown command '" + parent + word + "'";
            }
        }
        return e.getMessage();
    }

    private static String qualifiedName(CommandLine commandLine) {
        String name = commandLine.getCommandSpec().qualifiedName(" ");
        return name.startsWith("lsm") ? name.substring(3).trim() + (name.length() > 3 ? " " : "") : name + " ";
    }
}
