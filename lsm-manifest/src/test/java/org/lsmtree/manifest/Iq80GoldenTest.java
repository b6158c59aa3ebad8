package org.lsmtree.manifest;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.impl.DbImpl;
import org.iq80.leveldb.impl.FileMetaData;
import org.iq80.leveldb.impl.InternalKey;
import org.iq80.leveldb.impl.TableCache;
import org.iq80.leveldb.impl.VersionSet;
import org.iq80.leveldb.table.BytewiseComparator;
import org.iq80.leveldb.util.Slice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.manifest.ManifestReader.Replay;
import org.lsmtree.manifest.ManifestReader.TailPolicy;

/**
 * Golden tests against the pure-Java LevelDB port (iq80 0.12): its MANIFEST, after flushes and
 * compactions, replays to the level state it holds itself; our edits encode to its bytes; and a
 * MANIFEST we write for an empty store opens in it.
 */
class Iq80GoldenTest {
    private final Storage storage = NioStorage.of(FileSystems.getDefault());

    @TempDir
    Path directory;

    /** One file as "level:number:size:smallest-hex:largest-hex", comparable across both sides. */
    private static String describe(int level, long number, long size, byte[] smallest, byte[] largest) {
        return level + ":" + number + ":" + size + ":" + com.google.common.io.BaseEncoding.base16().encode(smallest)
                + ":" + com.google.common.io.BaseEncoding.base16().encode(largest);
    }

    private static Slice slice(String text) {
        return new Slice(text.getBytes(US_ASCII));
    }

    @Test
    void iq80sManifestAfterFlushesAndCompactionsReplaysToTheStateIq80Holds() throws Exception {
        Options options = new Options().createIfMissing(true).writeBufferSize(8 * 1024)
                .compressionType(CompressionType.NONE);
        DbImpl db = new DbImpl(options, directory.toFile());
        VersionSet versions;
        try {
            byte[] value = "v".repeat(100).getBytes(US_ASCII);
            for (int round = 0; round < 4; round++) {
                for (int i = round; i < 1500; i += 3) {
                    db.put(String.format("key%05d", i).getBytes(US_ASCII), value);
                }
                if (round == 1) {
                    db.flushMemTable();
                    db.compactRange(0, slice("key00000"), slice("key00700"));
                }
                for (int i = round; i < 1500; i += 17) {
                    db.delete(String.format("key%05d", i).getBytes(US_ASCII));
                }
            }
            db.flushMemTable();
            db.compactRange(0, slice("key00300"), slice("key01200"));
            db.compactRange(1, slice("key00300"), slice("key00900"));
            for (int i = 0; i < 400; i++) {
                db.put(String.format("late%04d", i).getBytes(US_ASCII), value);
            }
        } finally {
            db.close();
        }
        // iq80's own reading of its MANIFEST, as it recovers on open.
        versions = new VersionSet(directory.toFile(),
                new TableCache(directory.toFile(), 100, new BytewiseComparator(), false),
                new org.iq80.leveldb.impl.InternalKeyComparator(new BytewiseComparator()));
        versions.recover();

        List<String> theirs = new ArrayList<>();
        int levelsWithFiles = 0;
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            List<FileMetaData> files = versions.getCurrent().getFiles(level);
            levelsWithFiles += files.isEmpty() ? 0 : 1;
            for (FileMetaData file : files) {
                theirs.add(describe(level, file.getNumber(), file.getFileSize(), file.getSmallest().encode().getBytes(),
                        file.getLargest().encode().getBytes()));
            }
        }
        Path manifest = CurrentFile.manifest(storage, directory);
        assertThat(storage.exists(manifest)).isTrue();
        Replay replay = ManifestReader.replay(storage, manifest, BYTEWISE, TailPolicy.STRICT);
        LevelState ours = replay.state();
        List<String> mine = new ArrayList<>();
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            assertThat(ours.fileCount(level)).as("level %s", level).isEqualTo(versions.numberOfFilesInLevel(level));
            // iq80 0.12's numberOfBytesInLevel returns the file count, so add up its sizes instead.
            assertThat(ours.bytes(level)).as("level %s", level).isEqualTo(versions.getCurrent().getFiles(level)
                    .stream().mapToLong(FileMetaData::getFileSize).sum());
            for (FileMetadata file : ours.files(level)) {
                mine.add(describe(level, file.number(), file.size(), file.smallest(), file.largest()));
            }
        }
        assertThat(mine).containsExactlyInAnyOrderElementsOf(theirs);
        assertThat(theirs).hasSizeGreaterThan(3);
        assertThat(levelsWithFiles).as("flushes and compactions spread files over levels").isGreaterThanOrEqualTo(2);
        assertThat(ours.logNumber()).isEqualTo(versions.getLogNumber());
        assertThat(ours.lastSequence()).isPositive().isLessThanOrEqualTo(versions.getLastSequence());
        assertThat(ours.comparatorName()).hasValue("leveldb.BytewiseComparator");
        // No table is missing. iq80's close can cut a background compaction short and leave its
        // output behind, never logged: an orphan numbered at or past the next file number.
        for (org.lsmtree.format.VerificationReport.Problem problem
                : new ManifestVerifier().verifyStore(storage, directory).report().problems()) {
            assertThat(problem.kind()).as("%s", problem).isEqualTo("ORPHAN_TABLE");
            long number = Long.parseLong(problem.message().substring(0, 6));
            assertThat(number).as("%s", problem).isGreaterThanOrEqualTo(ours.nextFileNumber());
        }
    }

    @Test
    void ourEditsEncodeToIq80sBytesAndDecodeFromThem() throws Exception {
        for (long seed = 0; seed < 20; seed++) {
            for (VersionEdit edit : new EditScenarios(seed).sequence(40)) {
                org.iq80.leveldb.impl.VersionEdit theirs = toIq80(edit);
                byte[] theirBytes = theirs.encode().getBytes();
                assertThat(VersionEditCodec.INSTANCE.encode(edit)).as("%s", edit).isEqualTo(theirBytes);
                assertThat(VersionEditCodec.INSTANCE.decode(theirBytes)).isEqualTo(edit);
            }
        }
    }

    private static org.iq80.leveldb.impl.VersionEdit toIq80(VersionEdit edit) {
        org.iq80.leveldb.impl.VersionEdit theirs = new org.iq80.leveldb.impl.VersionEdit();
        edit.comparatorName().ifPresent(theirs::setComparatorName);
        edit.logNumber().ifPresent(theirs::setLogNumber);
        edit.previousLogNumber().ifPresent(theirs::setPreviousLogNumber);
        edit.nextFileNumber().ifPresent(theirs::setNextFileNumber);
        edit.lastSequence().ifPresent(theirs::setLastSequenceNumber);
        for (VersionEdit.CompactPointer pointer : edit.compactPointers()) {
            theirs.setCompactPointer(pointer.level(), new InternalKey(new Slice(pointer.key())));
        }
        for (VersionEdit.DeletedFile deleted : edit.deletedFiles()) {
            theirs.deleteFile(deleted.level(), deleted.number());
        }
        for (VersionEdit.NewFile added : edit.newFiles()) {
            FileMetadata file = added.file();
            theirs.addFile(added.level(), file.number(), file.size(), new InternalKey(new Slice(file.smallest())),
                    new InternalKey(new Slice(file.largest())));
        }
        return theirs;
    }

    @Test
    void aManifestWeWriteForAnEmptyStoreOpensInIq80() throws Exception {
        LevelState empty = LevelState.empty(BYTEWISE).apply(new VersionEdit().setLogNumber(0).setNextFileNumber(2)
                .setLastSequence(0));
        try (ManifestWriter writer = ManifestWriter.create(storage, directory, 1, empty)) {
            writer.sync();
        }
        CurrentFile.write(storage, directory, 1);

        Options options = new Options().createIfMissing(false).compressionType(CompressionType.NONE);
        DbImpl db = new DbImpl(options, directory.toFile());
        try {
            db.put("hello".getBytes(US_ASCII), "world".getBytes(US_ASCII));
            assertThat(db.get("hello".getBytes(US_ASCII))).asString(US_ASCII).isEqualTo("world");
        } finally {
            db.close();
        }
        DbImpl reopened = new DbImpl(options, directory.toFile());
        try {
            assertThat(reopened.get("hello".getBytes(US_ASCII))).asString(US_ASCII).isEqualTo("world");
        } finally {
            reopened.close();
        }
        Replay replay = ManifestReader.replay(storage, CurrentFile.manifest(storage, directory), BYTEWISE,
                TailPolicy.STRICT);
        assertThat(replay.state().nextFileNumber()).isGreaterThan(2);
        Map<Long, Integer> live = replay.state().liveFiles();
        assertThat(live.values()).allMatch(level -> level >= 0);
        assertThat(live.keySet().stream().max(Comparator.naturalOrder()).orElse(0L))
                .isLessThan(replay.state().nextFileNumber());
    }
}
