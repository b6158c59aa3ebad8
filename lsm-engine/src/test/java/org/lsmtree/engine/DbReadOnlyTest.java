package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A read-only open reads everything, WAL included, and changes nothing on disk. */
class DbReadOnlyTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void readsTablesAndTheWalAndLeavesEveryFileAsItWas() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("in-table"), b("1"));
            db.flush();
            db.put(b("in-wal"), b("2"));
            db.delete(b("in-table"));
        }
        Map<String, byte[]> before = snapshotOfFiles();
        try (Db db = Db.openReadOnly(dir, Options.defaults())) {
            assertThat(db.get(b("in-wal"))).isEqualTo(b("2"));
            assertThat(db.get(b("in-table"))).isNull();
            try (DbIterator it = db.iterator(ReadOptions.defaults())) {
                it.seekToFirst();
                assertThat(it.key()).isEqualTo(b("in-wal"));
                it.next();
                assertThat(it.isValid()).isFalse();
            }
            assertThat(db.property("lsm.stats")).contains("(read-only)");
            assertThatThrownBy(() -> db.put(b("x"), b("y"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(db::flush).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> db.compactRange(null, null)).isInstanceOf(IllegalStateException.class);
        }
        Map<String, byte[]> after = snapshotOfFiles();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        after.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(before.get(name)));
    }

    @Test
    void aReadOnlyOpenWorksBesideAWriterAndCreatesNothing() throws IOException {
        try (Db writer = Db.open(dir, Options.defaults())) {
            writer.put(b("k"), b("v"));
            try (Db reader = Db.openReadOnly(dir, Options.defaults())) {
                assertThat(reader.get(b("k"))).isEqualTo(b("v"));
            }
        }
        assertThatThrownBy(() -> Db.openReadOnly(fs.getPath("/nothing"), Options.defaults()))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("/nothing/CURRENT");
        assertThat(Files.exists(fs.getPath("/nothing"))).isFalse();
    }

    private Map<String, byte[]> snapshotOfFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path path : list.toList()) {
                files.put(path.getFileName().toString(), Files.readAllBytes(path));
            }
        }
        return files;
    }

    @Test
    void aLogThatVanishesWhileTheStoreIsReadMakesItReadTheStoreAgain() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
        }
        int[] vanished = {0};
        org.lsmtree.format.storage.Storage storage = new org.lsmtree.testing.ForwardingStorage(
                org.lsmtree.format.storage.NioStorage.of(fs)) {
            @Override
            public org.lsmtree.format.storage.RandomReadFile openRandomRead(Path file) throws IOException {
                if (file.toString().endsWith(".log") && vanished[0]++ == 0) { // a writer's flush deleted it meanwhile
                    throw new NoSuchFileException(file.toString());
                }
                return super.openRandomRead(file);
            }
        };
        try (Db db = Db.openReadOnly(dir, Options.defaults().withStorage(storage))) {
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
        assertThat(vanished[0]).isGreaterThanOrEqualTo(2);
    }

}
