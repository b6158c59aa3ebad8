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
 * every engine and this JVM's class path, and reads back what it measured. The child's standard
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

    List<String> jvmFlags() {
        return jvmFlags;
    }

    List<Measurement> run(EngineKind kind, BenchSettings settings, String benchmarks, Path directory, int round)
            throws IOException, InterruptedException {
        Path out = directory.resolveSibling(directory.getFileName() + ".json");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classPath, EngineRun.class.getName(), "--engine", kind.label,
                "--benchmarks", benchmarks, "--dir", directory.toString(), "--out", out.toString()));
        command.addAll(settings.asArguments());
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int exit = process.waitFor();
        try {
            if (exit != 0) {
                throw new IllegalStateException(kind.label + " failed in round " + round + " (exit " + exit
                        + "); its output is above");
            }
            return ResultsFile.readMeasurements(out);
        } finally {
            DiskUsage.delete(directory);
            DiskUsage.delete(out);
        }
    }
}
