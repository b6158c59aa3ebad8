package org.lsmtree.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(NativeLevelDb.TAG)
class NativeLevelDbTest {

    @Test
    void compilesADriverAgainstLevelDbOneTwentyThreeAndRunsIt() throws IOException {
        NativeLevelDb driver = NativeLevelDb.compile(getClass(), "version.c", Path.of("target", "native"));
        assertThat(driver.runOrFail()).isEqualTo("1.23\n");
        // A second compile of the same source reuses the binary.
        assertThat(NativeLevelDb.compile(getClass(), "version.c", Path.of("target", "native")).runOrFail())
                .isEqualTo("1.23\n");
    }
}
