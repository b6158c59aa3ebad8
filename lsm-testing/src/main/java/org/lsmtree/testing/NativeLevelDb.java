package org.lsmtree.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.hash.Hashing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real C++ LevelDB (1.23, Debian's {@code libleveldb-dev}) for interop tests: compiles a small
 * C or C++ driver program against it and runs it. A driver is a source text the test keeps under
 * its {@code src/test/resources}; it is compiled once per content (the binary's name carries a
 * hash of the source) into a work directory, normally {@code target/native}.
 *
 * <p>Tests that use this class carry the JUnit tag {@value #TAG}. The parent build runs them when
 * the LevelDB headers are installed (the {@code native-leveldb} profile activates on
 * {@value #HEADER}); {@code .ci/run} installs them, so CI always runs them.
 *
 * <p>Thread-safe: compilation of one source is serialized on the class.
 */
public final class NativeLevelDb {
    /** The JUnit tag of tests that need native LevelDB. */
    public static final String TAG = "native-leveldb";
    /** The header whose presence means LevelDB's development files are installed. */
    public static final String HEADER = "/usr/include/leveldb/table_builder.h";

    private final Path binary;

    private NativeLevelDb(Path binary) {
        this.binary = binary;
    }

    /** Whether LevelDB's headers and a C++ compiler are here. */
    public static boolean isInstalled() {
        return Files.exists(Path.of(HEADER));
    }

    /**
     * Compiles the driver held in classpath resource {@code resource} (a {@code .c} or
     * {@code .cc} file) into {@code workDirectory}, unless a binary of the same source is there.
     */
    public static synchronized NativeLevelDb compile(Class<?> owner, String resource, Path workDirectory)
            throws IOException {
        checkArgument(resource.endsWith(".c") || resource.endsWith(".cc"), "%s is not a .c or .cc file", resource);
        if (!isInstalled()) {
            throw new IOException("C++ LevelDB is not installed (" + HEADER
                    + " is missing): apt-get install libleveldb-dev, as .ci/run does");
        }
        byte[] source;
        try (InputStream in = owner.getResourceAsStream(resource)) {
            checkNotNull(in, "no resource %s next to %s", resource, owner.getName());
            source = in.readAllBytes();
        }
        String hash = Hashing.sha256().hashBytes(source).toString().substring(0, 16);
        String name = Path.of(resource).getFileName().toString().replaceAll("\\.cc?$", "");
        Files.createDirectories(workDirectory);
        Path binary = workDirectory.resolve(name + "-" + hash);
        if (!Files.isExecutable(binary)) {
            Path sourceFile = workDirectory.resolve(name + "-" + hash + (resource.endsWith(".cc") ? ".cc" : ".c"));
            Files.write(sourceFile, source);
            Path partial = workDirectory.resolve(name + "-" + hash + ".partial");
            String compiler = resource.endsWith(".cc") ? "g++" : "gcc";
            List<String> command = new ArrayList<>(List.of(compiler, "-O1", "-o", partial.toString(),
                    sourceFile.toString(), "-lleveldb"));
            if (compiler.equals("g++")) {
                command.add(1, "-std=c++17");
            }
            Result result = execute(command, new byte[0], 300);
            if (result.exitCode() != 0) {
                throw new IOException("compiling " + resource + " failed (" + String.join(" ", command) + "):\n"
                        + result.stderrText());
            }
            Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return new NativeLevelDb(binary);
    }

    /**
     * The driver that loads and dumps whole stores through LevelDB's C API (kept beside this
     * class): {@code load DIR} creates a store with a 64 KiB write buffer and applies the stdin
     * lines {@code P <key> <value>} and {@code D <key>}, one write each, and {@code C} (compact
     * everything); {@code dump DIR} prints {@code <key> <value>} for every entry of an existing
     * store. Bytes are hex, {@code .} standing for empty.
     */
    public static NativeLevelDb storeDriver(Path workDirectory) throws IOException {
        return compile(NativeLevelDb.class, "store_driver.c", workDirectory);
    }

    /** What a run of the driver gave. */
    public record Result(int exitCode, byte[] stdout, byte[] stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    /** Runs the driver with {@code arguments} and {@code stdin}; fails when it runs over 120 s. */
    public Result run(byte[] stdin, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(arguments));
        return execute(command, stdin, 120);
    }

    /** Runs the driver and returns its standard output; a non-zero exit is an {@link IOException}. */
    public String runOrFail(String... arguments) throws IOException {
        Result result = run(new byte[0], arguments);
        if (result.exitCode() != 0) {
            throw new IOException(binary.getFileName() + " " + String.join(" ", arguments) + " exited "
                    + result.exitCode() + ":\n" + result.stderrText());
        }
        return result.stdoutText();
    }

    private static Result execute(List<String> command, byte[] stdin, long timeoutSeconds) throws IOException {
        Process process = new ProcessBuilder(command).start();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread errorPump = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(stderr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "native-leveldb-stderr");
        errorPump.start();
        try {
            try (var in = process.getOutputStream()) {
                in.write(stdin);
            }
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " ran over " + timeoutSeconds + " s");
            }
            errorPump.join();
            return new Result(process.exitValue(), stdout, stderr.toByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }
}
