package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;
import static org.lsmtree.manifest.EditScenarios.file;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;

/**
 * Issue 11, point 8: an edit record larger than the reader's {@code maxRecordSize} (a 40 MiB
 * record ran a 64 MiB heap out of memory) is a corruption naming the file, the offset and the
 * option under every tail policy.
 */
class ManifestRecordSizeTest {
    private static final int MAX = 64 << 10;

    /** The first edit, then an edit of 3,000 files (about 100 KB), then a small one. */
    private static List<Long> write(ManifestFiles files) throws IOException {
        VersionEdit big = new VersionEdit();
        for (int i = 0; i < 3_000; i++) {
            big.addFile(0, file(10 + i, String.format("a%06d", i), String.format("z%06d", i)));
        }
        return files.writeRaw("MANIFEST-000002", List.of(
                new EditScenarios(0).first().setNextFileNumber(10_000), big, new VersionEdit().setLastSequence(7)));
    }

    @Test
    void editLargerThanMaxRecordSizeIsACorruptionUnderEveryPolicy() throws IOException {
        ManifestFiles files = new ManifestFiles();
        List<Long> offsets = write(files);

        for (ManifestReader.TailPolicy policy : ManifestReader.TailPolicy.values()) {
            assertThatThrownBy(() -> ManifestReader.replay(files.storage, files.path("MANIFEST-000002"), BYTEWISE,
                    policy, MAX))
                    .as("%s", policy)
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).endsWith("MANIFEST-000002");
                        assertThat(e.offset()).isEqualTo(offsets.get(1));
                        assertThat(e.reason()).startsWith("RECORD_TOO_LARGE").contains("maxRecordSize");
                    });
        }
        assertThat(ManifestReader.replay(files.storage, files.path("MANIFEST-000002"), BYTEWISE,
                ManifestReader.TailPolicy.STRICT).state().fileCount(0)).isEqualTo(3_000);
    }
}
