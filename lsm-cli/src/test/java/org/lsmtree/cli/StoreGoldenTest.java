package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations that change or need a store of their own ({@code load}, {@code dump},
 * {@code compact}, ...), each run on a fresh copy of a fixture store and compared with its
 * transcript: {@code golden/store-cases.txt} lists {@code name: fixture: arguments} ({@code $STORE}
 * stands for the copy; fixture {@code new} is a directory that does not exist yet), standard input
 * comes from {@code golden/input/NAME.in} when present, the transcript is
 * {@code golden/NAME.txt}. Rewrite with {@code -Dlsm.golden.update=true} and review the diff.
 */
class StoreGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("lsm.golden.update");

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> everyStoreCaseMatchesItsTranscript() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c[0], () -> {
            Path store = temp.resolve(c[0]);
            if (!c[1].equals("new")) {
                copy(Path.of("src/test/resources/fixtures", c[1]), store);
            }
            Path input = GOLDEN.resolve("input").resolve(c[0] + ".in");
            String stdin = Files.exists(input) ? Files.readString(input, StandardCharsets.UTF_8) : "";
            String[] args = c[2].replace("$STORE", store.toString()).split(" +");
            String actual = CliRun.run(stdin, args).transcript(c[2] + (Files.exists(input) ? " < " + c[0] + ".in" : ""))
                    .replace(store.toString(), "$STORE");
            Path expected = GOLDEN.resolve(c[0] + ".txt");
            if (UPDATE) {
                Files.writeString(expected, actual, StandardCharsets.UTF_8);
            }
            assertThat(expected).as("golden transcript (generate with -Dlsm.golden.update=true)").exists();
            assertThat(actual).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
        }));
    }

    @Test
    void everyOperationHasCasesInTextAndJson() throws IOException {
        List<String> lines = cases().stream().map(c -> c[2]).toList();
        for (String command : List.of("load", "dump", "compact", "approxsize", "property", "repair")) {
            assertThat(lines).as(command).anyMatch(l -> l.startsWith(command + " ") && !l.contains("--json"));
            assertThat(lines).as(command + " --json").anyMatch(l -> l.startsWith(command + " ") && l.contains("--json"));
        }
    }

    static List<String[]> cases() throws IOException {
        List<String[]> cases = new ArrayList<>();
        for (String line : Files.readAllLines(GOLDEN.resolve("store-cases.txt"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", 3);
            cases.add(new String[] {parts[0].strip(), parts[1].strip(), parts[2].strip()});
        }
        return cases;
    }

    private static void copy(Path fixture, Path store) throws IOException {
        Files.createDirectories(store);
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, store.resolve(file.getFileName()));
            }
        }
    }
}
