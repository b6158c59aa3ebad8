package org.lsmtree.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import org.lsmtree.format.CorruptionException;

/**
 * Turns any exception a command throws into one line on standard error and an exit code: a
 * corruption names the file, the offset and what is wrong (exit 3); a missing or unreadable file
 * names it (exit 2); anything else gives its message (exit 2). With {@code --debug} the stack
 * trace follows. Stateless.
 */
final class Failures {
    /** The most characters of a message shown; the rest is counted, not printed. */
    static final int MAX_MESSAGE = 1000;

    private Failures() {}

    static int report(Exception e, Context context) {
        context.err().println("lsm: " + describe(e));
        if (context.json()) {
            // --json promises JSON on standard output: the failure as the one problem found.
            CorruptionException c = e instanceof CorruptionException corruption ? corruption : null;
            context.out().println(Json.obj().put("file", c != null ? c.file() : null)
                    .put("problems", Json.arr().add(problemJson(e))));
        }
        if (context.debug()) {
            e.printStackTrace(context.err());
        }
        return exitCode(e);
    }

    /** A failure as an item of a JSON {@code problems} array. */
    static Json.Obj problemJson(Exception e) {
        CorruptionException c = e instanceof CorruptionException corruption ? corruption : null;
        return Json.obj().put("offset", c != null ? c.offset() : -1).put("kind", c != null ? "CORRUPTION" : "ERROR")
                .put("message", describe(e));
    }

    /**
     * An {@link Error} (out of memory above all) as one line naming the {@code inputs} and what to
     * do, never the JVM's stack trace unless {@code --debug}; exit 2.
     */
    static int reportError(Throwable error, List<String> inputs, Context context) {
        String files = inputs.isEmpty() ? "" : " while reading " + String.join(", ", inputs);
        if (error instanceof OutOfMemoryError) {
            context.err().println("lsm: out of memory" + files + " (the Java heap is too small for what the file"
                    + " holds): run again with a larger heap, e.g. LSM_JAVA_OPTS=-Xmx4g ./lsm ...");
        } else {
            context.err().println("lsm: internal error " + error.getClass().getName() + files + ": "
                    + oneLine(String.valueOf(error.getMessage())) + " (run with --debug for the stack trace)");
        }
        if (context.debug()) {
            error.printStackTrace(context.err());
        }
        return ExitCodes.USAGE;
    }

    static int exitCode(Throwable e) {
        if (e instanceof CliException cli) {
            return cli.exitCode();
        }
        return e instanceof CorruptionException ? ExitCodes.DAMAGE : ExitCodes.USAGE;
    }

    /** One line saying what went wrong and where. */
    static String describe(Throwable e) {
        if (e instanceof CorruptionException c) {
            return corruption(c);
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": " + (missing.getReason() != null ? missing.getReason() : "no such file or directory");
        }
        if (e instanceof NotDirectoryException notDirectory) {
            return notDirectory.getFile() + ": not a directory";
        }
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            return fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName());
        }
        if (e instanceof CliException || e instanceof IOException) {
            return oneLine(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
        if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
            return oneLine(String.valueOf(e.getMessage()));
        }
        return "internal error: " + e.getClass().getName() + ": " + oneLine(String.valueOf(e.getMessage()))
                + " (run with --debug for the stack trace)";
    }

    /** {@code file: offset N: reason}, leaving out what the exception does not know. */
    static String corruption(CorruptionException c) {
        StringBuilder line = new StringBuilder();
        if (c.file() != null) {
            line.append(c.file()).append(": ");
        }
        if (c.offset() != CorruptionException.UNKNOWN_OFFSET) {
            line.append("offset ").append(c.offset()).append(": ");
        }
        return line.append(oneLine(c.reason())).toString();
    }

    /** {@code text} on one line, and cut: a hostile file can make a message of megabytes (a 1 MiB comparator name). */
    static String oneLine(String text) {
        return Words.cut(text.replace('\n', ' ').replace('\r', ' '), MAX_MESSAGE);
    }
}
