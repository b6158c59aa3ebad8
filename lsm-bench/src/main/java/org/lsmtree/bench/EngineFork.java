package org.lsmtree.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs one engine's round in a JVM of its own ({@link EngineRun}), with the same JVM flags for
 * every engine and this JVM's class path, and reads back what it measured ({@link #fork} runs any
 * other main class the same way: {@link KafkaBench} forks {@link KafkaRun}). The child's standard
 * error (its progress) goes to ours.
 */
final class EngineFork {
    private final List<String> jvmFlags;
    private final String classPath;

    /** heap: the -Xms and -Xmx of every engine JVM, e.g. "1g". */
    EngineFork(String heap) {
        this.jvmFlags = List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-Dio.netty.leakDetection.level=disabled", "-Djava.awt.headless=true");
        this.classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The {@code --heap} flag (default 1g), checked to be a JVM size. */
    static String heap(Flags flags) {
        String heap = flags.string("heap", "1g");
        if (!heap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("--heap takes a JVM size such as 1g or 512m, got '" + heap + "'");
        }
        return heap;
    }

    List<String> jvmFlags() {
        return jvmFlags;
    }

    List<Measurement> run(EngineKind kind, BenchSettings settings, String benchmarks, Path directory, int round)
            throws IOException, InterruptedException {
        Path out = directory.resolveSibling(directory.getFileName() + ".json");
        List<String> arguments = new ArrayList<>(List.of("--engine", kind.label, "--benchmarks", benchmarks,
                "--dir", directory.toString(), "--out", out.toString()));
        arguments.addAll(settings.asArguments());
        try {
            fork(EngineRun.class, arguments, kind.label + " failed in round " + round);
            return ResultsFile.readMeasurements(out);
        } finally {
            DiskUsage.delete(directory);
            DiskUsage.delete(out);
        }
    }

    /**
     * Runs {@code main} with {@code arguments} in a JVM with these flags and class path, its output
     * and error going to ours, and waits for it; an exit code other than 0 is an
     * {@link IllegalStateException} starting with {@code failure}.
     */
    void fork(Class<?> main, List<String> arguments, String failure) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(failure + " (exit " + exit + "); its output is above");
        }
    }
}
