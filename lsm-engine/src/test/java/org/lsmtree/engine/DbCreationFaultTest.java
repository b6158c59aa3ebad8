package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.OperationKind;

/**
 * A creation of a new store that fails before its {@code CURRENT} is in place leaves
 * {@code MANIFEST-000001} (and maybe the {@code CURRENT} temp file): the next open creates the
 * store again instead of refusing it as a damaged one (found by {@code FailedIoTortureTest}: a
 * failed sync of the first MANIFEST made the directory unopenable). Anything else without a
 * {@code CURRENT} is still refused.
 */
class DbCreationFaultTest {

    @Test
    void aCreationFailingAtAnyStepBeforeCurrentIsDoneAgainByTheNextOpen() throws IOException {
        for (OperationKind kind : new OperationKind[] {OperationKind.APPEND, OperationKind.SYNC, OperationKind.RENAME}) {
            try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
                Path dir = fs.getPath("/db");
                FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
                storage.failWhen(Fault.on(kind).once());
                assertThatThrownBy(() -> Db.open(dir, Options.defaults().withStorage(storage))).as("%s", kind)
                        .isInstanceOf(IOException.class);
                assertThat(Files.exists(dir.resolve("CURRENT"))).isFalse();
                assertThat(Files.exists(dir.resolve("MANIFEST-000001"))).as("%s", kind).isTrue();
                Files.write(dir.resolve("000001.dbtmp"), b("MANIFEST-0000")); // as a crash during its write leaves it
                try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
                    db.put(b("k"), b("v"));
                }
                try (Db db = Db.open(dir, Options.defaults())) {
                    assertThat(db.get(b("k"))).isEqualTo(b("v"));
                }
            }
        }
    }

    @Test
    void aManifestBesideATableWithoutCurrentIsStillRefused() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            Files.createDirectories(dir);
            Files.write(dir.resolve("MANIFEST-000001"), new byte[] {1});
            Files.write(dir.resolve("000005.ldb"), new byte[] {2});
            assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                    .hasMessageContaining("000005.ldb but no CURRENT (a damaged store?)");
        }
    }
}
