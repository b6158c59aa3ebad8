package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void onATerminalTheBarIsDrawnAndErasedAtTheEnd() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress progress = Progress.start(context(err, true), "verify", 4);
        progress.update(2);
        progress.update(4);
        progress.done();
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("] 50% verify").contains("] 100% verify").endsWith("\r");
    }

    @Test
    void pipedNothingIsWritten() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress progress = Progress.start(context(err, false), "verify", 4);
        progress.update(2);
        progress.done();
        assertThat(err.size()).isZero();
    }

    @Test
    void theBarDependsOnStandardErrorAloneNotOnInputAndOutput() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Context piped = new Context(InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, true, false, false);
        Progress.start(piped, "sst dump", 4).update(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("50% sst dump");
    }

    private static Context context(ByteArrayOutputStream err, boolean terminal) {
        return new Context(InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), terminal, terminal, false, false);
    }
}
