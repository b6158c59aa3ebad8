package org.lsmtree.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code lsm} in this JVM with captured streams and gives back a transcript. */
record CliRun(String stdout, String stderr, int exitCode) {

    static CliRun run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), outStream, errStream,
                    false);
        }
        return new CliRun(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), exit);
    }

    /** {@code $ lsm args}, standard output, standard error (each line marked), the exit code. */
    String transcript(String commandLine) {
        StringBuilder text = new StringBuilder("$ lsm ").append(commandLine).append('\n').append(stdout);
        for (String line : stderr.lines().toList()) {
            text.append("stderr| ").append(line).append('\n');
        }
        return text.append("[exit ").append(exitCode).append("]\n").toString();
    }
}
