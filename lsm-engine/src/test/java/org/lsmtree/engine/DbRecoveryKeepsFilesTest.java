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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.FileNames;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestReader;
import org.lsmtree.manifest.ManifestWriter;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.sstable.TableLayout;
import org.lsmtree.testing.Corruptor;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.OperationKind;
import org.lsmtree.format.key.BytewiseComparator;

/**
 * Recovery never deletes what it cannot prove obsolete: a MANIFEST that lost edits is refused
 * (the other files show it), whatever an open dropped moves to {@code lost/}, and damage found
 * by a compaction leaves the store writable. Each case is a reproduction from the damaged-files
 * probe, its bytes made here.
 */
class DbRecoveryKeepsFilesTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");
    private final Storage storage = NioStorage.of(fs);

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void aManifestCutInsideItsLastEditIsRefusedAndNothingIsDeleted() throws IOException {
        Map<String, String> written = storeWithSeveralFlushes();
        Path manifest = CurrentFile.manifest(storage, dir);
        long lastEdit = lastEditOffset(manifest);
        Corruptor.of(manifest).truncate(lastEdit + 9); // inside the last edit's payload
        Map<String, byte[]> before = snapshotOfDirectory();

        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(manifest.toString())
                .hasMessageContaining("lost edits")
                .satisfies(e -> assertThat(((CorruptionException) e).offset()).isEqualTo(lastEdit));
        assertThatThrownBy(() -> Db.openReadOnly(dir, Options.defaults())).isInstanceOf(CorruptionException.class);
        assertThat(namesOf(snapshotOfDirectory())).isEqualTo(namesOf(before));

        // Accepting the loss opens the older state and keeps every file it would delete in lost/.
        try (Db db = Db.open(dir, Options.defaults().withAcceptLostManifestEdits(true))) {
            assertThat(db.get(b("k0000"))).isEqualTo(b(written.get("k0000")));
        }
        List<String> lost = lostFiles();
        assertThat(lost).contains(manifest.getFileName().toString());
        for (String name : namesOf(before)) {
            boolean tableOrLog = name.endsWith(".ldb") || name.endsWith(".log") || name.startsWith("MANIFEST-");
            if (tableOrLog) {
                assertThat(Files.exists(dir.resolve(name)) || lost.contains(name))
                        .as("%s is kept in the store or in lost/", name).isTrue();
            }
        }
    }

    @Test
    void damageToTheLastEditsHeaderIsRefused() throws IOException {
        storeWithSeveralFlushes();
        Path manifest = CurrentFile.manifest(storage, dir);
        long lastEdit = lastEditOffset(manifest);
        byte[] original = Files.readAllBytes(manifest);
        for (int headerByte = 0; headerByte < 7; headerByte++) { // checksum, length, type
            Files.write(manifest, original);
            Corruptor.of(manifest).setByte(lastEdit + headerByte, original[(int) lastEdit + headerByte] ^ 0x5a);
            int damaged = headerByte;
            assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                    .as("header byte %d of the last edit damaged", damaged)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(manifest.toString());
        }
    }

    @Test
    void aLogNumberAboveEveryLogIsRefusedWhileAnOlderLogHoldsNewerWrites() throws IOException {
        writeKeys(50);
        long liveLog = onlyLogNumber();
        Path manifest = CurrentFile.manifest(storage, dir);
        LevelState state = ManifestReader.replay(storage, manifest,
                new InternalKeyComparator(BytewiseComparator.INSTANCE), ManifestReader.TailPolicy.STRICT).state();
        long newManifest = state.nextFileNumber() + 20;
        LevelState lying = state.apply(new VersionEdit().setLogNumber(liveLog + 10).setNextFileNumber(newManifest + 1));
        ManifestWriter.create(storage, dir, newManifest, lying).close();
        CurrentFile.write(storage, dir, newManifest);

        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(FileNames.manifestFile(dir, newManifest).toString())
                .hasMessageContaining("above every log")
                .hasMessageContaining(FileNames.logFileName(liveLog));
        assertThat(Files.exists(FileNames.logFile(dir, liveLog))).isTrue();

        try (Db db = Db.open(dir, Options.defaults().withAcceptLostManifestEdits(true))) {
            assertThat(db.get(b("key1"))).isNull(); // the state the MANIFEST names: the log's writes are not served
        }
        assertThat(lostFiles()).contains(FileNames.logFileName(liveLog)); // but not deleted
    }

    @Test
    void aLogWhoseTailWasDroppedIsMovedToLostNotDeleted() throws IOException {
        Path logPath = twentyKeysWithTheLastWriteTorn();
        byte[] torn = Files.readAllBytes(logPath);

        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("key18"))).isEqualTo(b("value18"));
            assertThat(db.get(b("key19"))).isNull();
        }
        assertThat(Files.exists(logPath)).isFalse();
        assertThat(Files.readAllBytes(dir.resolve(LostFolder.NAME).resolve(logPath.getFileName().toString())))
                .isEqualTo(torn);
        // The next open dropped nothing: it deletes as usual, and reads the same.
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("key18"))).isEqualTo(b("value18"));
        }
    }

    @Test
    void anOpenThatFailsWhileMovingToLostLeavesTheNextOpenKeepingTheFiles() throws IOException {
        Path logPath = twentyKeysWithTheLastWriteTorn();
        byte[] torn = Files.readAllBytes(logPath);

        // The first open writes its new MANIFEST and CURRENT, then fails (or the process dies)
        // while moving the torn WAL to lost/.
        FaultInjectingStorage failing = FaultInjectingStorage.wrap(storage)
                .failWhen(Fault.on(OperationKind.RENAME).matching("*.log").once());
        assertThatThrownBy(() -> Db.open(dir, Options.defaults().withStorage(failing)))
                .isInstanceOf(IOException.class);

        // The next open finds a clean MANIFEST and drops nothing, but the torn WAL is still the
        // only copy of what the first open dropped: it must still be kept, not deleted.
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("key18"))).isEqualTo(b("value18"));
        }
        Path inLost = dir.resolve(LostFolder.NAME).resolve(logPath.getFileName().toString());
        assertThat(Files.exists(logPath) || Files.exists(inLost))
                .as("the torn WAL is kept in the store or in lost/").isTrue();
        assertThat(Files.readAllBytes(Files.exists(inLost) ? inLost : logPath)).isEqualTo(torn);
        // Once nothing it names is left in the store, the next open deletes the list of kept files.
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("key18"))).isEqualTo(b("value18"));
        }
        assertThat(lostFiles()).noneMatch(name -> name.startsWith(LostFolder.KEEP_LIST_PREFIX));
        assertThat(lostFiles()).contains(logPath.getFileName().toString());
    }

    @Test
    void tablesLiveAfterAnOpenThatDroppedATornTailAreDeletedWhenCompactedNotMovedToLost() throws IOException {
        storeWithSeveralFlushes();
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("torn"), b("value"));
        }
        long log = onlyLogNumber();
        Path logPath = FileNames.logFile(dir, log);
        Corruptor.of(logPath).truncate(Files.size(logPath) - 3); // the last write torn: a crash leaves this
        List<String> tablesBefore;
        try (Stream<Path> files = Files.list(dir)) {
            tablesBefore = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ldb")).sorted().toList();
        }
        assertThat(tablesBefore).hasSizeGreaterThan(1);

        try (Db db = Db.open(dir, Options.defaults())) {
            db.compactRange(null, null); // the tables live at open are merged away: a durable edit proves them obsolete
        }
        // The torn WAL is kept; the tables the new MANIFEST listed are not evidence of anything dropped,
        // so after every crash with a torn tail lost/ would otherwise grow by the whole store.
        assertThat(lostFiles()).contains(logPath.getFileName().toString());
        assertThat(lostFiles()).doesNotContainAnyElementsOf(tablesBefore);
    }

    @Test
    void aCleanReopenMovesNothingToLost() throws IOException {
        storeWithSeveralFlushes();
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("x"), b("y"));
        }
        assertThat(Files.exists(dir.resolve(LostFolder.NAME))).isFalse();
    }

    @Test
    void aFileNumberAtTheTopOfTheRangeIsRefusedBeforeAnythingIsCreated() throws IOException {
        storeWithSeveralFlushes();
        Path stray = dir.resolve("9223372036854775806.log");
        Files.write(stray, new byte[0]);
        List<String> before = namesOf(snapshotOfDirectory());
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(stray.toString())
                .hasMessageContaining("top of the range");
        assertThat(namesOf(snapshotOfDirectory())).isEqualTo(before);
    }

    @Test
    void aManifestNextFileNumberAtTheTopOfTheRangeIsRefused() throws IOException {
        storeWithSeveralFlushes();
        Path manifest = CurrentFile.manifest(storage, dir);
        LevelState state = ManifestReader.replay(storage, manifest,
                new InternalKeyComparator(BytewiseComparator.INSTANCE), ManifestReader.TailPolicy.STRICT).state();
        long number = state.nextFileNumber() + 1;
        ManifestWriter.create(storage, dir, number, state.apply(new VersionEdit().setNextFileNumber(Long.MAX_VALUE - 1)))
                .close();
        CurrentFile.write(storage, dir, number);
        List<String> before = namesOf(snapshotOfDirectory());
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(FileNames.manifestFile(dir, number).toString())
                .hasMessageContaining("next file number 9223372036854775806");
        assertThat(namesOf(snapshotOfDirectory())).isEqualTo(before);
    }

    @Test
    void swappedBlocksFoundByACompactionAreACorruptionNamingTheTableAndTheStoreStaysWritable() throws IOException {
        try (Db db = Db.open(dir, Options.defaults().withBlockSize(256))) {
            for (int i = 0; i < 300; i++) {
                db.put(b(String.format("key%05d", i)), b(String.format("value%015d", i)));
            }
            db.flush();
        }
        Path table = onlyTable();
        List<TableLayout.BlockInfo> blocks = TableLayout.read(storage, table).dataBlocks();
        TableLayout.BlockInfo first = blocks.get(1);
        TableLayout.BlockInfo second = null;
        for (TableLayout.BlockInfo block : blocks.subList(2, blocks.size())) {
            if (block.size() == first.size()) {
                second = block;
                break;
            }
        }
        assertThat(second).as("two data blocks of equal size").isNotNull();
        byte[] bytes = Files.readAllBytes(table);
        int length = (int) first.size() + 5; // with the block trailer, so both checksums stay valid
        byte[] a = java.util.Arrays.copyOfRange(bytes, (int) first.offset(), (int) first.offset() + length);
        System.arraycopy(bytes, (int) second.offset(), bytes, (int) first.offset(), length);
        System.arraycopy(a, 0, bytes, (int) second.offset(), length);
        Files.write(table, bytes);

        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("key00100"), b("newer")); // flushed to level 1, above the damaged table on level 2
            assertThatThrownBy(() -> db.compactRange(null, null))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(table.toString());
            db.put(b("after"), b("still writable"));
            assertThat(db.get(b("after"))).isEqualTo(b("still writable"));
        }
        assertThat(Files.exists(table)).isTrue();
    }

    @Test
    void aLockThatCannotBeTakenSaysWhatFailedRatherThanInUse() throws IOException {
        storeWithSeveralFlushes();
        Files.delete(dir.resolve("LOCK"));
        Files.createDirectory(dir.resolve("LOCK")); // a LOCK that is a directory
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open store")
                .hasMessageNotContaining("in use");
        Path plainFile = fs.getPath("/plain");
        Files.write(plainFile, new byte[] {1});
        assertThatThrownBy(() -> Db.open(plainFile, Options.defaults()))
                .isInstanceOf(IOException.class)
                .hasMessageNotContaining("in use");
    }

    @Test
    void aWalRecordLargerThanTheMaximumIsRefusedNamingTheOptionAndAWriteThatLargeIsRefusedUpFront()
            throws IOException {
        Options small = Options.defaults().withMaxRecordSize(4096);
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("big"), new byte[10_000]); // fine under the default maximum
        }
        assertThatThrownBy(() -> Db.open(dir, small))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("maxRecordSize");
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("big"))).hasSize(10_000);
        }
        try (Db db = Db.open(dir, small)) { // the batch is in a table by now
            assertThatThrownBy(() -> db.put(b("big2"), new byte[10_000]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxRecordSize");
            assertThat(db.get(b("big2"))).isNull();
        }
    }

    @Test
    void tenBytesOverwrittenInTheLastBlockOfAWalAreRefusedAndTheWalIsKept() throws IOException {
        writeKeys(377); // one short block of a WAL, as in the reproduction
        long log = onlyLogNumber();
        Path logPath = FileNames.logFile(dir, log);
        byte[] bytes = Files.readAllBytes(logPath);
        int at = bytes.length * 6 / 10;
        for (int i = 0; i < 10; i++) {
            bytes[at + i] = (byte) (0x11 * (i + 1));
        }
        Files.write(logPath, bytes);
        for (var mode : List.of(org.lsmtree.wal.WalRecoveryMode.TOLERATE_CORRUPTED_TAIL,
                org.lsmtree.wal.WalRecoveryMode.ABSOLUTE_CONSISTENCY)) {
            assertThatThrownBy(() -> Db.open(dir, Options.defaults().withWalRecoveryMode(mode)))
                    .as("under %s", mode)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(logPath.toString());
            assertThat(Files.readAllBytes(logPath)).isEqualTo(bytes);
        }
        // Skipping the damage (and, as LevelDB does, the rest of its block) opens the store; the
        // damaged WAL is kept in lost/, not deleted.
        try (Db db = Db.open(dir, Options.defaults().withWalRecoveryMode(
                org.lsmtree.wal.WalRecoveryMode.SKIP_ANY_CORRUPTED))) {
            assertThat(db.get(b("key0"))).isEqualTo(b("value0"));
            assertThat(db.get(b("key376"))).isNull();
        }
        assertThat(lostFiles()).contains(logPath.getFileName().toString());
    }

    /**
     * A MANIFEST edit names each table's smallest and largest keys, and the store writes its whole
     * file list as the first edit of every MANIFEST it creates: with keys that each fit a write
     * well within a small {@link Options#maxRecordSize}, that edit outgrows it, and the store must
     * still reopen with the options it was written with. Found in review of issue 11.
     */
    @Test
    void aStoreReopensUnderItsOwnSmallMaxRecordSizeWhateverItsMANIFESTEditsHold() throws IOException {
        Options small = Options.defaults().withMaxRecordSize(1024);
        byte[] first = ("a" + "-".repeat(599)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] last = ("z" + "-".repeat(599)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (Db db = Db.open(dir, small)) { // each write is a batch of about 620 bytes: accepted
            db.put(first, b("1"));
            db.put(last, b("2"));
            db.flush();
        }
        try (Db db = Db.open(dir, small)) {
            assertThat(db.get(last)).isEqualTo(b("2"));
        }
    }

    /**
     * The block bound the engine reads its tables with (maxRecordSize plus 1 MiB) must hold every
     * block the engine itself writes: with a block size above 1 MiB and a small maxRecordSize,
     * a data block of many small entries outgrows it. Found in review of issue 11.
     */
    @Test
    void aStoreReadsItsOwnTablesWhateverItsBlockSizeAndMaxRecordSize() throws IOException {
        Options options = Options.defaults().withMaxRecordSize(1024).withBlockSize(2 << 20);
        try (Db db = Db.open(dir, options)) {
            for (int i = 0; i < 25_000; i++) {
                db.put(b(String.format("key%08d", i)), b("value-" + "x".repeat(80) + i), WriteOptions.noSync());
            }
            db.flush();
            assertThat(db.get(b("key00000001"))).isEqualTo(b("value-" + "x".repeat(80) + 1));
        }
    }

    @Test
    void aTableBlockLargerThanTheBoundIsRefusedNamingTheOption() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("big"), new byte[3 << 20]);
            db.flush();
        }
        try (Db db = Db.open(dir, Options.defaults().withMaxRecordSize(1 << 20))) {
            assertThatThrownBy(() -> db.get(b("big")))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("maxBlockSize");
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("big"))).hasSize(3 << 20);
        }
    }

    /** A store of several level-0 tables and a live log; returns what it holds. */
    private Map<String, String> storeWithSeveralFlushes() throws IOException {
        Map<String, String> written = new TreeMap<>();
        try (Db db = Db.open(dir, Options.defaults().withWriteBufferSize(1024))) {
            for (int i = 0; i < 120; i++) {
                String key = String.format("k%04d", i % 70);
                String value = "v" + i + "-".repeat(30);
                if (i % 11 == 5) {
                    db.delete(b(key));
                    written.remove(key);
                } else {
                    db.put(b(key), b(value));
                    written.put(key, value);
                }
            }
        }
        return written;
    }

    private long lastEditOffset(Path manifest) throws IOException {
        long last = -1;
        try (ManifestReader reader = ManifestReader.open(storage, manifest, ManifestReader.TailPolicy.STRICT)) {
            while (reader.next() != null) {
                last = reader.lastEditOffset();
            }
        }
        assertThat(last).isPositive();
        return last;
    }

    private long onlyLogNumber() throws IOException {
        List<Long> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(FileNames::parse).flatMap(java.util.Optional::stream)
                    .filter(parsed -> parsed.type() == org.lsmtree.format.FileType.LOG)
                    .forEach(parsed -> logs.add(parsed.number()));
        }
        assertThat(logs).hasSize(1);
        return logs.get(0);
    }

    private Path onlyTable() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> tables = files.filter(p -> p.toString().endsWith(".ldb")).toList();
            assertThat(tables).hasSize(1);
            return tables.get(0);
        }
    }

    /** A store of key0..key19 whose log lost the end of its last write (a crash tore it); returns the log. */
    private Path twentyKeysWithTheLastWriteTorn() throws IOException {
        writeKeys(20);
        Path logPath = FileNames.logFile(dir, onlyLogNumber());
        Corruptor.of(logPath).truncate(Files.size(logPath) - 3);
        return logPath;
    }

    /** key0..key{count-1} set to value0.., synced, in a store closed afterwards (its writes stay in the WAL). */
    private void writeKeys(int count) throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            for (int i = 0; i < count; i++) {
                db.put(b("key" + i), b("value" + i));
            }
        }
    }

    private Map<String, byte[]> snapshotOfDirectory() throws IOException {
        return DbMutationTest.readDirectory(dir);
    }

    private static List<String> namesOf(Map<String, byte[]> files) {
        return new ArrayList<>(files.keySet());
    }

    private List<String> lostFiles() throws IOException {
        Path lost = dir.resolve(LostFolder.NAME);
        if (!Files.isDirectory(lost)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(lost)) {
            return list.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
