package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.testing.HostileInputs;
import org.lsmtree.testing.TortureReport;

/**
 * Hostile input to the MANIFEST's decoders: version edits (decoded, then applied to a state with
 * files on three levels, so that the level invariants are checked too), whole MANIFEST files
 * (record framing and edits, replayed under both tail policies), and {@code CURRENT}. Only
 * {@link CorruptionException} may come out. Crafted cases: a file added at level 99 or numbered
 * 2^63, overlapping level-1 files, a deleted file never added, lengths of 2^31, a {@code CURRENT}
 * with path separators, {@code ..}, a NUL or a number of 2^63 or more, and one far too long.
 * Runs in the 64 MiB JVM of the {@code hostile-inputs} surefire execution.
 */
class ManifestHostileInputTest {
    private static final TortureReport REPORT = new TortureReport("hostile inputs (lsm-manifest)");
    private static final long SMALL = 64 << 10;

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Storage storage = NioStorage.of(fs);
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @AfterAll
    static void printFigures() {
        System.out.print(REPORT.render());
    }

    /** A state with files on levels 0, 1 and 2, which the hostile edits are applied to. */
    private static LevelState base() throws Exception {
        return EditScenarios.fold(new EditScenarios(17).sequence(30));
    }

    @Test
    void versionEditsDecodeAndApplyOrAreCorruption() throws Exception {
        LevelState base = base();
        List<byte[]> corpus = new ArrayList<>();
        corpus.add(VersionEditCodec.INSTANCE.encode(base.toSnapshotEdit()));
        EditScenarios scenarios = new EditScenarios(17);
        for (VersionEdit edit : scenarios.sequence(40)) {
            corpus.add(VersionEditCodec.INSTANCE.encode(edit));
        }
        HostileInputs.run("version edit", corpus, CorruptionException.class, input -> {
            VersionEdit edit = VersionEditCodec.INSTANCE.decode(input);
            edit.toString();
            base.apply(edit).describeFiles();
        }, REPORT);
    }

    @Test
    void manifestFilesReplayOrAreCorruption() throws Exception {
        List<byte[]> corpus = new ArrayList<>();
        for (int edits : new int[] {0, 3, 40}) {
            Path store = fs.getPath("/corpus" + edits);
            Files.createDirectories(store);
            try (ManifestWriter writer = ManifestWriter.create(storage, store, 1, EditScenarios.fold(
                    new EditScenarios(edits).sequence(0)))) {
                EditScenarios scenarios = new EditScenarios(edits);
                scenarios.sequence(0);
                for (int i = 0; i < edits; i++) {
                    writer.append(scenarios.next());
                }
            }
            corpus.add(Files.readAllBytes(store.resolve("MANIFEST-000001")));
        }
        Path manifest = dir.resolve("MANIFEST-000001");
        Files.createDirectories(dir);
        HostileInputs.run("MANIFEST replay", corpus, CorruptionException.class, input -> {
            Files.write(manifest, input);
            CorruptionException refused = null;
            for (ManifestReader.TailPolicy policy : ManifestReader.TailPolicy.values()) {
                try {
                    ManifestReader.replay(storage, manifest, EditScenarios.BYTEWISE, policy, 1 << 20);
                } catch (CorruptionException e) {
                    assertThat(e.getMessage()).contains(manifest.toString());
                    refused = refused == null ? e : refused;
                }
            }
            if (refused != null) {
                throw refused;
            }
        }, REPORT);
    }

    @Test
    void currentFilesNameAManifestOrAreCorruption() throws IOException {
        Files.createDirectories(dir);
        List<byte[]> corpus = new ArrayList<>();
        for (String name : new String[] {"MANIFEST-000001\n", "MANIFEST-000123\n", "MANIFEST-9223372036854775807\n"}) {
            corpus.add(name.getBytes(StandardCharsets.US_ASCII));
        }
        Path current = dir.resolve("CURRENT");
        HostileInputs.run("CURRENT", corpus, CorruptionException.class, input -> {
            Files.write(current, input);
            String name = CurrentFile.read(storage, dir);
            assertThat(name).startsWith("MANIFEST-").doesNotContain("/", "\\", "..", "\0", "\n");
            assertThat(CurrentFile.manifest(storage, dir).getParent()).isEqualTo(dir);
            assertThat(CurrentFile.manifestNumber(storage, dir)).isNotNegative();
        }, REPORT);
    }

    // ---------------------------------------------------------------------------------------------
    // Crafted inputs

    @Test
    void aCurrentWithPathSeparatorsDotDotOrANulIsCorruption() throws IOException {
        Files.createDirectories(dir);
        Path current = dir.resolve("CURRENT");
        for (String content : new String[] {"../MANIFEST-000001\n", "MANIFEST-000001/..\n", "/db/MANIFEST-000001\n",
                "sub/MANIFEST-000001\n", "..\\MANIFEST-000001\n", "MANIFEST-000001\0\n", "..\n", "MANIFEST-\n",
                "MANIFEST-00000x\n", "MANIFEST-99999999999999999999\n", "MANIFEST-18446744073709551615\n",
                "MANIFEST-9223372036854775808\n", "MANIFEST-000001\n\n", "MANIFEST--1\n",
                "MANIFEST-000001", "\n", ""}) {
            byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
            CorruptionException e = HostileInputs.assertRejected("CURRENT " + content.replace("\n", "\\n"), bytes,
                    CorruptionException.class, SMALL, input -> {
                        Files.write(current, input);
                        CurrentFile.read(storage, dir);
                    });
            assertThat(e.file()).isEqualTo(current.toString());
        }
    }

    @Test
    void aCurrentFarTooLongIsRefusedWithoutReadingIt() throws IOException {
        Files.createDirectories(dir);
        byte[] huge = new byte[8 << 20];
        java.util.Arrays.fill(huge, (byte) 'M');
        Files.write(dir.resolve("CURRENT"), huge);
        long before = HostileInputs.allocatedBytes();
        Throwable thrown = HostileInputs.outcome(input -> CurrentFile.read(storage, dir), huge);
        assertThat(HostileInputs.allocatedBytes() - before).isLessThan(1 << 20);
        assertThat(thrown).isInstanceOf(CorruptionException.class).hasMessageContaining("CURRENT");
    }

    @Test
    void aFileAddedAtLevel99IsCorruption() {
        byte[] edit = HostileInputs.concat(tag(ManifestFormat.TAG_NEW_FILE), HostileInputs.varint(99),
                HostileInputs.varint(5), HostileInputs.varint(100), keyField("a", 1), keyField("b", 1));
        CorruptionException e = HostileInputs.assertRejected("level 99", edit, CorruptionException.class, SMALL,
                VersionEditCodec.INSTANCE::decode);
        assertThat(e.reason()).contains("level 99");
        assertThat(e.offset()).isEqualTo(1);
    }

    @Test
    void aFileNumberedTwoToThe63IsCorruption() {
        for (long number : new long[] {1L << 63, -1L}) {
            byte[] edit = HostileInputs.concat(tag(ManifestFormat.TAG_NEW_FILE), HostileInputs.varint(1),
                    HostileInputs.varint(number), HostileInputs.varint(100), keyField("a", 1), keyField("b", 1));
            HostileInputs.assertRejected("file number " + Long.toUnsignedString(number), edit,
                    CorruptionException.class, SMALL, VersionEditCodec.INSTANCE::decode);
            byte[] next = HostileInputs.concat(tag(ManifestFormat.TAG_NEXT_FILE_NUMBER), HostileInputs.varint(number));
            HostileInputs.assertRejected("next file number " + Long.toUnsignedString(number), next,
                    CorruptionException.class, SMALL, VersionEditCodec.INSTANCE::decode);
        }
    }

    @Test
    void keyAndNameLengthsOfTwoToThe31AreRefusedBeforeAllocating() {
        for (long length : new long[] {1L << 31, 0xffff_ffffL, 1L << 63}) {
            byte[] key = HostileInputs.concat(tag(ManifestFormat.TAG_NEW_FILE), HostileInputs.varint(1),
                    HostileInputs.varint(5), HostileInputs.varint(100), HostileInputs.varint(length), new byte[8]);
            HostileInputs.assertRejected("key length " + Long.toUnsignedString(length), key, CorruptionException.class,
                    SMALL, VersionEditCodec.INSTANCE::decode);
            byte[] name = HostileInputs.concat(tag(ManifestFormat.TAG_COMPARATOR), HostileInputs.varint(length),
                    new byte[] {'x'});
            HostileInputs.assertRejected("comparator name length " + Long.toUnsignedString(length), name,
                    CorruptionException.class, SMALL, VersionEditCodec.INSTANCE::decode);
        }
    }

    @Test
    void overlappingLevelOneFilesAreCorruption() throws Exception {
        LevelState base = base();
        VersionEdit edit = new VersionEdit()
                .addFile(1, EditScenarios.file(900, "m", "p"))
                .addFile(1, EditScenarios.file(901, "o", "q"));
        byte[] bytes = VersionEditCodec.INSTANCE.encode(edit);
        HostileInputs.assertRejected("overlapping level-1 files", bytes, CorruptionException.class, 1 << 20,
                input -> base.apply(VersionEditCodec.INSTANCE.decode(input)));
    }

    @Test
    void deletingAFileNeverAddedIsCorruption() throws Exception {
        LevelState base = base();
        byte[] bytes = VersionEditCodec.INSTANCE.encode(new VersionEdit().deleteFile(3, 987_654));
        HostileInputs.assertRejected("delete of a file never added", bytes, CorruptionException.class, 1 << 20,
                input -> base.apply(VersionEditCodec.INSTANCE.decode(input)));
    }

    @Test
    void addingALiveFileNumberAgainIsCorruption() throws Exception {
        LevelState base = base();
        long live = base.liveFiles().keySet().iterator().next();
        byte[] bytes = VersionEditCodec.INSTANCE.encode(new VersionEdit().addFile(5, EditScenarios.file(live, "x", "y")));
        HostileInputs.assertRejected("file " + live + " added twice", bytes, CorruptionException.class, 1 << 20,
                input -> base.apply(VersionEditCodec.INSTANCE.decode(input)));
    }

    private static byte[] tag(int tag) {
        return HostileInputs.varint(tag);
    }

    private static byte[] keyField(String userKey, long sequence) {
        byte[] key = EditScenarios.key(userKey, sequence);
        return HostileInputs.concat(HostileInputs.varint(key.length), key);
    }
}
