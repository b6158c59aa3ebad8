package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store open in another process cannot be opened here, and can once that process is gone. */
class DbLockAcrossProcessesTest {

    @TempDir
    Path directory;

    @Test
    void aStoreOpenInAnotherProcessIsRefused() throws Exception {
        Path store = directory.resolve("db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), store.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("open");
            assertThatThrownBy(() -> Db.open(store, Options.defaults()))
                    .isInstanceOf(IOException.class).hasMessageContaining("in use").hasMessageContaining("LOCK");
        } finally {
            holder.getOutputStream().close(); // the holder closes its store and exits
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(holder.exitValue()).isZero();
        try (Db db = Db.open(store, Options.defaults())) {
            assertThat(db.get("from-holder".getBytes(StandardCharsets.UTF_8))).isEqualTo(new byte[] {1});
        }
    }

    /** Run in a child JVM: opens the store, writes, says "open", and holds it until stdin closes. */
    public static final class LockHolder {
        public static void main(String[] args) throws IOException {
            try (Db db = Db.open(Path.of(args[0]), Options.defaults())) {
                db.put("from-holder".getBytes(StandardCharsets.UTF_8), new byte[] {1});
                System.out.println("open");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold the store until the parent closes our stdin
                }
            }
        }
    }
}
