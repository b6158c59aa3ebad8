package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.ManifestReader;
import org.lsmtree.manifest.ManifestWriter;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.OperationKind;

/**
 * Compaction and file deletion where a store's files split a user key or a write has failed
 * (found in review, each with a test that failed before the fix).
 */
class DbCompactionEdgesTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    private static byte[] ik(String user, long seq, ValueType type) {
        return InternalKey.encode(b(user), seq, type);
    }

    /** Level 1 holds y split over two files (LevelDB-style): F [a@1 .. y@9 DEL], G [y@5 PUT .. z@2]. */
    @Test
    void aTombstoneIsNotDroppedWhileTheNextLevelStillHoldsAnOlderEntry() throws IOException {
        Db.open(dir, Options.defaults().withCreateIfMissing(true)).close();
        var storage = NioStorage.of(fs);
        var comparator = new InternalKeyComparator(Options.defaults().comparator());
        var state = ManifestReader.replay(storage, CurrentFile.manifest(storage, dir), comparator,
                ManifestReader.TailPolicy.STRICT).state();
        SstableTables format = new SstableTables(storage, Options.defaults());
        long fNum = 100, gNum = 101;
        var f = format.create(format.fileFor(dir, fNum));
        f.add(ik("a", 1, ValueType.PUT), b("a"));
        f.add(ik("y", 9, ValueType.DELETE), new byte[0]);
        long fSize = f.finish();
        var g = format.create(format.fileFor(dir, gNum));
        g.add(ik("y", 5, ValueType.PUT), b("old"));
        g.add(ik("z", 2, ValueType.PUT), b("z"));
        long gSize = g.finish();
        long manifestNumber = 102;
        var next = state.apply(new VersionEdit()
                .addFile(1, new FileMetadata(fNum, fSize, ik("a", 1, ValueType.PUT), ik("y", 9, ValueType.DELETE)))
                .addFile(1, new FileMetadata(gNum, gSize, ik("y", 5, ValueType.PUT), ik("z", 2, ValueType.PUT)))
                .setNextFileNumber(manifestNumber + 1).setLastSequence(20));
        ManifestWriter.create(storage, dir, manifestNumber, next).close();
        CurrentFile.write(storage, dir, manifestNumber);

        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("y"))).as("before").isNull();
            db.put(b("b"), b("1"));
            db.compactRange(null, b("c")); // level 0 [b] -> level 1: overlapped = F only, not G
            assertThat(db.get(b("y"))).as("y after compaction").isNull();
        }
    }

    /** A flush whose MANIFEST sync fails: the MANIFEST may name its table, so nothing is deleted after it. */
    @Test
    void noFileIsDeletedAfterAWriteFailureSinceTheManifestMayNameIt() throws IOException {
        FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
        try (Db db = Db.open(dir, Options.defaults().withCreateIfMissing(true).withStorage(storage))) {
            db.put(b("a"), b("1"));
            db.flush();
            DbIterator pinned = db.iterator(ReadOptions.defaults()); // pins the version of this moment
            db.put(b("b"), b("2"));
            db.flush(); // a new version; the pinned one stays live
            db.put(b("c"), b("3"));
            storage.failWhen(Fault.on(OperationKind.SYNC).matching("MANIFEST-*").once());
            org.assertj.core.api.Assertions.assertThatThrownBy(db::flush).isInstanceOf(IOException.class);
            pinned.close(); // releases the old version: a reader-triggered deletion must not take the new table
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("a"))).isEqualTo(b("1"));
            assertThat(db.get(b("c"))).isEqualTo(b("3"));
        }
    }
}
