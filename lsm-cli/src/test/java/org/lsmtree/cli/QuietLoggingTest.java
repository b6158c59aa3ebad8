package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** JLine's java.util.logging warnings (a 32-line stack trace when TERM is unset) never reach the terminal. */
class QuietLoggingTest {
    @Test
    void afterAnyCommandJavaUtilLoggingHasNoConsoleHandlerLeft() {
        CliRun.run("", "--version");
        Handler[] handlers = Logger.getLogger("").getHandlers();
        assertThat(Arrays.stream(handlers).map(h -> h.getClass().getName()))
                .noneMatch(name -> name.equals(ConsoleHandler.class.getName()))
                .contains("org.slf4j.bridge.SLF4JBridgeHandler");
    }
}
