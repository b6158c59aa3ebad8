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

/**
 * Every inspection command (and the usage errors) against the checked-in fixtures, compared with
 * the checked-in transcripts: {@code golden/cases.txt} lists the cases, {@code golden/NAME.txt}
 * holds each expected transcript (standard output, standard error, exit code). After a deliberate
 * change of output, rewrite the transcripts with {@code -Dlsm.golden.update=true} and review the
 * diff.
 */
class GoldenOutputTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("lsm.golden.update");

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesItsTranscript() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c[0], () -> {
            String arguments = c[1];
            String[] args = arguments.isEmpty() ? new String[0] : arguments.split(" +");
            String actual = CliRun.run("", args).transcript(arguments);
            Path expectedFile = GOLDEN.resolve(c[0] + ".txt");
            if (UPDATE) {
                Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            }
            assertThat(expectedFile).as("golden transcript (generate with -Dlsm.golden.update=true)").exists();
            assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
        }));
    }

    @Test
    void everyInspectionCommandHasGoldenCasesInTextAndJson() throws IOException {
        List<String> lines = cases().stream().map(c -> c[1]).toList();
        for (String command : List.of("wal dump", "sst dump", "manifest dump", "verify", "stats")) {
            assertThat(lines).as(command).anyMatch(l -> l.startsWith(command) && !l.contains("--json"));
            assertThat(lines).as(command + " --json").anyMatch(l -> l.startsWith(command) && l.contains("--json"));
        }
    }

    @Test
    void noStackTraceReachesTheUserInAnyCase() throws IOException {
        for (String[] c : cases()) {
            String transcript = Files.readString(GOLDEN.resolve(c[0] + ".txt"), StandardCharsets.UTF_8);
            assertThat(transcript).as(c[0]).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    private static List<String[]> cases() throws IOException {
        List<String[]> cases = new ArrayList<>();
        for (String line : Files.readAllLines(GOLDEN.resolve("cases.txt"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            cases.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
        }
        return cases;
    }
}
