package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.engine.Db;
import org.lsmtree.engine.Options;

/**
 * Drives {@code lsm shell} through piped input ({@code golden/shell-session.in}) over a copy of
 * the fixture store our engine wrote, and checks the transcript ({@code golden/shell-session.out},
 * errors included), then that the shell's writes are in the store after it closed.
 */
class ShellTranscriptTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    Path temp;

    @Test
    void pipedSessionGivesTheGoldenTranscriptAndGoesOnAfterErrors() throws IOException {
        Path store = copyOfOurStore();
        String input = Files.readString(GOLDEN.resolve("shell-session.in"), StandardCharsets.UTF_8);
        CliRun run = CliRun.run(input, "shell", store.toString());
        String actual = run.transcript("shell $STORE < shell-session.in").replace(store.toString(), "$STORE");
        Path expected = GOLDEN.resolve("shell-session.out");
        if (Boolean.getBoolean("lsm.golden.update")) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
        assertThat(run.stdout()).contains("ERR unknown command 'BOGUS' (try HELP)").doesNotContain("never reached");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void writesAcknowledgedByTheShellAreInTheStoreAfterItCloses() throws IOException {
        Path store = copyOfOurStore();
        CliRun run = CliRun.run("SET durable yes\nSET 0x01 0x02\nDEL ours-01\n", "shell", store.toString());
        assertThat(run.stdout()).isEqualTo("OK\nOK\nOK\n");
        try (Db db = Db.open(store, Options.defaults().withCreateIfMissing(false))) {
            assertThat(db.get("durable".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("yes");
            assertThat(db.get(new byte[] {1})).containsExactly(2);
            assertThat(db.get("ours-01".getBytes(StandardCharsets.UTF_8))).isNull();
        }
    }

    @Test
    void shellCreatesAStoreInAMissingDirectory() {
        Path store = temp.resolve("new-db");
        CliRun run = CliRun.run("SET a 1\nGET a\n", "shell", store.toString());
        assertThat(run.stdout()).isEqualTo("OK\n1\n");
        assertThat(run.stderr()).isEqualTo("lsm: created new store " + store + "\n");
        assertThat(store.resolve("CURRENT")).exists();
        assertThat(CliRun.run("GET a\n", "shell", store.toString()).stderr()).isEmpty();
    }

    private Path copyOfOurStore() throws IOException {
        Path store = temp.resolve("store");
        Files.createDirectories(store);
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/fixtures/our-store"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, store.resolve(file.getFileName()));
            }
        }
        return store;
    }
}
