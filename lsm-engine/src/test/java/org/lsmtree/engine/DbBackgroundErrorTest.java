package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.engine.DbOpenAndWriteTest.b;
import static org.lsmtree.engine.DbOpenAndWriteTest.s;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.ManualExecutor;
import org.lsmtree.testing.OperationKind;

/**
 * Failures of background work: every storage operation of a background flush fails in turn (the
 * store turns read-only, reads go on, nothing acknowledged is lost, {@link Db#resume()} makes it
 * writable once the fault is gone); every operation of a background compaction fails in turn (it
 * is retried, or, failing in its MANIFEST edit, turns the store read-only until resumed); a
 * compaction that keeps failing turns the store read-only; the MANIFEST rotates at its size.
 */
class DbBackgroundErrorTest {

    private static Options options(FaultInjectingStorage storage, ManualExecutor background) {
        return Options.defaults().withStorage(storage).withBackgroundExecutor(background).withWriteBufferSize(2048)
                .withTargetFileSize(2048).withLevelZeroTriggers(2, 8, 12);
    }

    private static byte[] key(int i) {
        return b(String.format("key%05d", i));
    }

    @Test
    void everyOperationOfABackgroundFlushFailingInTurnLosesNothingAndResumeRecovers() throws IOException {
        int failedRuns = 0;
        for (long nth = 0; ; nth++) {
            try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
                Path dir = fs.getPath("/db");
                FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
                ManualExecutor background = new ManualExecutor(nth);
                int written = 0;
                try (Db db = Db.open(dir, options(storage, background))) {
                    while (background.pending() == 0) { // until a full memtable waits for its flush
                        db.put(key(written), b("v" + written));
                        written++;
                    }
                    storage.failWhen(Fault.atOperation(storage.operationCount() + 1 + nth).once());
                    background.runAll();
                    String error = db.property("lsm.background-error");
                    if (error.isEmpty()) { // the flush did fewer operations than nth: every one was failed
                        storage.clearFaults();
                        assertThat(failedRuns).isGreaterThan(3);
                        return;
                    }
                    failedRuns++;
                    String context = "operation " + nth + " of the flush failed: " + error;
                    assertThatThrownBy(() -> db.put(b("after"), b("x"))).as(context).hasMessageContaining("read-only");
                    for (int i = 0; i < written; i++) {
                        assertThat(s(db.get(key(i)))).as(context).isEqualTo("v" + i);
                    }
                    db.resume();
                    assertThat(db.property("lsm.background-error")).isEmpty();
                    db.put(b("after"), b("resumed"));
                    background.runAll();
                    db.flush();
                }
                try (Db db = Db.open(dir, Options.defaults().withStorage(storage).withBackgroundExecutor(background))) {
                    for (int i = 0; i < written; i++) {
                        assertThat(s(db.get(key(i)))).as("after reopen, failure at operation %d", nth).isEqualTo("v" + i);
                    }
                    assertThat(s(db.get(b("after")))).isEqualTo("resumed");
                }
            }
        }
    }

    @Test
    void everyOperationOfABackgroundCompactionFailingInTurnIsRetriedOrResumedAndLosesNothing() throws IOException {
        int failedOnce = 0;
        int readOnly = 0;
        for (long nth = 0; ; nth++) {
            try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
                Path dir = fs.getPath("/db");
                FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
                ManualExecutor background = new ManualExecutor(nth);
                try (Db db = Db.open(dir, options(storage, background))) {
                    for (int round = 0; round < 4; round++) { // to levels 2, 1, 0, 0: a level-0 compaction is due
                        for (int i = 0; i < 50; i++) {
                            db.put(key(i), b("v" + round));
                        }
                        db.flush();
                    }
                    long before = db.core().internals().compactionStats().compactions();
                    long start = storage.operationCount();
                    storage.failWhen(Fault.atOperation(start + 1 + nth).once());
                    background.runAll();
                    if (storage.operationCount() - start <= nth) { // the compactions did fewer operations
                        storage.clearFaults();
                        assertThat(failedOnce + readOnly).isGreaterThan(5);
                        return;
                    }
                    if (db.property("lsm.background-error").isEmpty()) {
                        failedOnce++; // failed before its MANIFEST edit: retried, and done
                        assertThat(db.core().internals().compactionStats().compactions()).isGreaterThan(before);
                    } else {
                        readOnly++; // failed while its edit was written: read-only until resumed
                        db.resume();
                    }
                    for (int i = 0; i < 50; i++) {
                        assertThat(s(db.get(key(i)))).as("failure at operation %d", nth).isEqualTo("v3");
                    }
                    db.put(b("after"), b("written"));
                }
                try (Db db = Db.open(dir, Options.defaults().withStorage(storage).withBackgroundExecutor(background))) {
                    for (int i = 0; i < 50; i++) {
                        assertThat(s(db.get(key(i)))).as("after reopen, failure at operation %d", nth).isEqualTo("v3");
                    }
                    assertThat(s(db.get(b("after")))).isEqualTo("written");
                }
            }
        }
    }

    @Test
    void aBackgroundCompactionThatKeepsFailingIsRetriedThenTurnsTheStoreReadOnly() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
            ManualExecutor background = new ManualExecutor(1);
            int written = 0;
            try (Db db = Db.open(dir, options(storage, background))) {
                for (int round = 0; round < 4; round++) { // to levels 2, 1, 0, 0: two level-0 files call for a compaction
                    for (int i = 0; i < 50; i++) {
                        db.put(key(i), b("v" + round));
                    }
                    db.flush();
                }
                written = 50;
                assertThat(Integer.parseInt(db.property("lsm.num-files-at-level0"))).isGreaterThanOrEqualTo(2);
                assertThat(background.pending()).isPositive();
                storage.failWhen(Fault.on(OperationKind.CREATE).matching("*.ldb"));
                background.runAll(); // each attempt fails and queues the next one
                assertThat(db.property("lsm.background-error")).contains("InjectedFault");
                assertThatThrownBy(() -> db.put(b("x"), b("y"))).hasMessageContaining("read-only");
                for (int i = 0; i < written; i++) {
                    assertThat(s(db.get(key(i)))).isEqualTo("v3");
                }
                storage.clearFaults();
                db.resume();
                db.put(b("x"), b("y"));
                background.runAll();
                assertThat(db.property("lsm.num-files-at-level0")).isEqualTo("0");
            }
            try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
                for (int i = 0; i < written; i++) {
                    assertThat(s(db.get(key(i)))).isEqualTo("v3");
                }
                assertThat(s(db.get(b("x")))).isEqualTo("y");
            }
        }
    }

    @Test
    void theManifestRotatesPastItsSizeAndTheStoreReopens() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/db");
            FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
            ManualExecutor background = new ManualExecutor(2);
            Options options = options(storage, background).withMaxManifestBytes(300);
            String firstManifest;
            try (Db db = Db.open(dir, options)) {
                firstManifest = manifests(dir)[0];
                for (int i = 0; i < 2000; i++) {
                    db.put(key(i % 700), b("v" + i));
                    background.runAll();
                }
                assertThat(manifests(dir)).hasSize(1).doesNotContain(firstManifest);
                assertThat(new String(Files.readAllBytes(dir.resolve("CURRENT"))).trim()).isEqualTo(manifests(dir)[0]);
            }
            try (Db db = Db.open(dir, options)) {
                for (int i = 2000 - 700; i < 2000; i++) {
                    assertThat(s(db.get(key(i % 700)))).isEqualTo("v" + i);
                }
            }
        }
    }

    private static String[] manifests(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("MANIFEST-")).toArray(String[]::new);
        }
    }
}
