package org.lsmtree.manifest;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.testing.Corruptor;

class CurrentFileTest {
    private final ManifestFiles files;

    CurrentFileTest() throws IOException {
        files = new ManifestFiles();
    }

    private void putCurrent(String content) throws IOException {
        try (WritableFile out = files.storage.create(files.path("CURRENT"))) {
            out.append(content.getBytes(US_ASCII));
        }
    }

    @Test
    void writeLeavesTheManifestNameAndANewlineAndNoTempFile() throws IOException {
        CurrentFile.write(files.storage, files.directory, 5);
        assertThat(Corruptor.of(files.storage, files.path("CURRENT")).content()).asString(US_ASCII)
                .isEqualTo("MANIFEST-000005\n");
        assertThat(CurrentFile.read(files.storage, files.directory)).isEqualTo("MANIFEST-000005");
        assertThat(CurrentFile.manifestNumber(files.storage, files.directory)).isEqualTo(5);
        assertThat(files.storage.exists(files.path("000005.dbtmp"))).isFalse();
        CurrentFile.write(files.storage, files.directory, 1234567);
        assertThat(CurrentFile.manifest(files.storage, files.directory)).isEqualTo(files.path("MANIFEST-1234567"));
    }

    @Test
    void aMissingCurrentIsNoSuchFileNamingIt() {
        assertThatThrownBy(() -> CurrentFile.read(files.storage, files.directory))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("/db/CURRENT");
    }

    @Test
    void aCurrentWithoutItsNewlineIsCorruptionNamingIt() throws IOException {
        putCurrent("MANIFEST-000005");
        assertThatThrownBy(() -> CurrentFile.read(files.storage, files.directory))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.file()).isEqualTo("/db/CURRENT");
                    assertThat(e.offset()).isEqualTo(15);
                    assertThat(e.reason()).contains("newline");
                });
    }

    @Test
    void aCurrentNamingSomethingElseIsCorruption() throws IOException {
        for (String content : new String[] {"000005.log\n", "MANIFEST-\n", "MANIFEST-5x\n", "MANIFEST-000005\n\n",
                "\n", " MANIFEST-000005\n"}) {
            putCurrent(content);
            assertThatThrownBy(() -> CurrentFile.read(files.storage, files.directory)).as(content)
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo("/db/CURRENT");
                        assertThat(e.reason()).contains("not a MANIFEST");
                    });
        }
    }

    @Test
    void anEmptyOrHugeCurrentIsCorruption() throws IOException {
        putCurrent("");
        assertThatThrownBy(() -> CurrentFile.read(files.storage, files.directory))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("empty");
        putCurrent("M".repeat(5000) + "\n");
        assertThatThrownBy(() -> CurrentFile.read(files.storage, files.directory))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("5001 bytes");
    }
}
