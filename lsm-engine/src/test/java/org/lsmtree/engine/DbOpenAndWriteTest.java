package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.wal.WriteBatch;

/** Opening, writing, reading and reopening a store on jimfs: the invariants the project began with. */
class DbOpenAndWriteTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/stores/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void aWriteSurvivesARestart() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
            assertThat(db.get(b("absent"))).isNull();
        }
    }

    @Test
    void aDeleteSurvivesARestartAndNothingComesBack() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
            db.delete(b("k"));
            db.put(b("empty"), new byte[0]);
        }
        for (int restart = 0; restart < 3; restart++) {
            try (Db db = Db.open(dir, Options.defaults())) {
                assertThat(db.get(b("k"))).isNull();
                assertThat(db.get(b("empty"))).isEqualTo(new byte[0]);
            }
        }
    }

    @Test
    void aBatchIsAppliedWholeAndInOrder() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.write(new WriteBatch().put(b("a"), b("1")).put(b("b"), b("2")).delete(b("a")).put(b("c"), b("3")),
                    WriteOptions.sync());
            assertThat(db.get(b("a"))).isNull();
            assertThat(db.get(b("b"))).isEqualTo(b("2"));
            assertThat(db.property("lsm.last-sequence")).isEqualTo("4");
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("c"))).isEqualTo(b("3"));
            assertThat(db.property("lsm.last-sequence")).isEqualTo("4");
            db.put(b("d"), b("4"), WriteOptions.noSync());
            assertThat(db.property("lsm.last-sequence")).isEqualTo("5");
        }
    }

    @Test
    void aSnapshotSeesOnlyWhatCameBeforeIt() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("old"));
            try (Snapshot snapshot = db.snapshot()) {
                db.put(b("k"), b("new"));
                db.delete(b("gone-later"));
                assertThat(db.get(b("k"), ReadOptions.at(snapshot))).isEqualTo(b("old"));
                assertThat(db.get(b("k"))).isEqualTo(b("new"));
                assertThat(db.property("lsm.open-snapshots")).isEqualTo("1");
                try (DbIterator it = db.iterator(ReadOptions.at(snapshot))) {
                    it.seekToFirst();
                    assertThat(it.key()).isEqualTo(b("k"));
                    assertThat(it.value()).isEqualTo(b("old"));
                }
            }
            assertThat(db.property("lsm.open-snapshots")).isEqualTo("0");
        }
    }

    @Test
    void iteratorsGoBothWaysOverTheNewestValues() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            for (String key : new String[] {"c", "a", "e", "b", "d"}) {
                db.put(b(key), b(key + "1"));
            }
            db.put(b("b"), b("b2"));
            db.delete(b("d"));
            try (DbIterator it = db.iterator(ReadOptions.defaults())) {
                List<String> forward = new ArrayList<>();
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    forward.add(s(it.key()) + "=" + s(it.value()));
                }
                assertThat(forward).containsExactly("a=a1", "b=b2", "c=c1", "e=e1");
                List<String> backward = new ArrayList<>();
                for (it.seekToLast(); it.isValid(); it.prev()) {
                    backward.add(s(it.key()));
                }
                assertThat(backward).containsExactly("e", "c", "b", "a");
                it.seek(b("cc"));
                assertThat(s(it.key())).isEqualTo("e");
            }
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFails() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                    .isInstanceOf(IOException.class).hasMessageContaining("in use").hasMessageContaining("LOCK");
        }
        Db.open(dir, Options.defaults()).close(); // released on close
    }

    @Test
    void useAfterCloseIsTheCallersMistake() throws IOException {
        Db db = Db.open(dir, Options.defaults());
        db.put(b("k"), b("v"));
        DbIterator open = db.iterator(ReadOptions.defaults());
        open.seekToFirst();
        db.close();
        assertThatThrownBy(open::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(open::key).isInstanceOf(IllegalStateException.class);
        open.close();
        db.close();
        assertThatThrownBy(() -> db.put(b("k"), b("v"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.get(b("k"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.iterator(ReadOptions.defaults())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void createIfMissingAndErrorIfExistsAsLevelDbDefinesThem() throws IOException {
        assertThatThrownBy(() -> Db.open(dir, Options.defaults().withCreateIfMissing(false)))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("/stores/db");
        Db.open(dir, Options.defaults()).close();
        assertThatThrownBy(() -> Db.open(dir, Options.defaults().withErrorIfExists(true)))
                .hasMessageContaining("already exists");
        Db.open(dir, Options.defaults().withCreateIfMissing(false)).close();
    }

    @Test
    void aFolderOfOtherFilesIsNotTurnedIntoAStore() throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("notes.txt"), b("mine"));
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(IOException.class).hasMessageContaining("/stores/db/notes.txt");
        assertThat(Files.readAllBytes(dir.resolve("notes.txt"))).isEqualTo(b("mine"));
    }

    @Test
    void aTableTheManifestListsThatIsMissingIsCorruptionNamingTheManifestAndTheTable() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
            db.flush();
        }
        Path table;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            table = files.filter(path -> path.toString().endsWith(".ldb")).findFirst().orElseThrow();
        }
        Files.delete(table);
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("MANIFEST-")
                .hasMessageContaining(" at offset ").hasMessageContaining(table.getFileName().toString());
    }

    @Test
    void aMissingOrDamagedCurrentOrManifestIsNamed() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
        }
        Path current = dir.resolve("CURRENT");
        byte[] good = Files.readAllBytes(current);
        Files.write(current, b("MANIFEST-000099\n"));
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("MANIFEST-000099")
                .hasMessageContaining("CURRENT at offset 0");
        Files.write(current, b("garbage"));
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("CURRENT");
        Files.delete(current);
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(IOException.class).hasMessageContaining("/stores/db/");
        Files.write(current, good);
        Path manifest = dir.resolve(new String(good, StandardCharsets.US_ASCII).trim());
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[10] ^= 0x40;
        Files.write(manifest, bytes);
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class).hasMessageContaining(manifest.getFileName().toString());
    }

    @Test
    void statsDescribeTheStore() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("k"), b("v"));
            assertThat(db.property("lsm.stats")).contains("last sequence: 1", "memtable: 1 entries", "level  files        bytes");
            assertThat(db.property("no.such.property")).isNull();
        }
    }

    static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
