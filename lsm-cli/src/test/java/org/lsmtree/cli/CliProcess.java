package org.lsmtree.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code lsm} in a JVM of its own with a small heap, for the tests that must show a command
 * stays within a memory bound (or fails in one line when it cannot). Standard output is counted,
 * not kept, apart from its last line.
 */
record CliProcess(long stdoutBytes, String lastStdoutLine, String stderr, int exitCode) {

    static CliProcess run(String maxHeap, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process java = new ProcessBuilder(command).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(java.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        long bytes = 0;
        byte[] tail = new byte[0]; // the last few KiB of standard output
        try (InputStream out = java.getInputStream()) {
            byte[] buffer = new byte[1 << 16];
            for (int n = out.read(buffer); n >= 0; n = out.read(buffer)) {
                bytes += n;
                byte[] joined = new byte[Math.min(4096, tail.length + n)];
                int fromTail = Math.max(0, joined.length - n);
                System.arraycopy(tail, tail.length - fromTail, joined, 0, fromTail);
                System.arraycopy(buffer, n - (joined.length - fromTail), joined, fromTail, joined.length - fromTail);
                tail = joined;
            }
        }
        String text = new String(tail, StandardCharsets.UTF_8).stripTrailing();
        if (!java.waitFor(120, TimeUnit.SECONDS)) {
            java.destroyForcibly();
            throw new AssertionError("lsm did not finish in 120 s");
        }
        return new CliProcess(bytes, text.substring(text.lastIndexOf('\n') + 1), stderr.join(), java.exitValue());
    }
}
