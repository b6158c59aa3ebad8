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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.testing.Corruptor;
import org.lsmtree.testing.Fault;
import org.lsmtree.testing.FaultInjectingStorage;
import org.lsmtree.testing.InjectedFaultException;
import org.lsmtree.testing.OperationKind;
import org.lsmtree.wal.WalRecoveryMode;

/** Injected I/O errors and damaged logs: errors surface, nothing acknowledged is lost. */
class DbFaultTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void aFailedWalSyncTurnsTheStoreReadOnlyAndLosesNothingAcknowledged() throws IOException {
        FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
        try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
            db.put(b("before"), b("1"));
            storage.failWhen(Fault.on(OperationKind.SYNC).matching("*.log").once());
            assertThatThrownBy(() -> db.put(b("failed"), b("2"))).isInstanceOf(InjectedFaultException.class);
            assertThatThrownBy(() -> db.put(b("after"), b("3")))
                    .isInstanceOf(IOException.class).hasMessageContaining("read-only")
                    .hasCauseInstanceOf(InjectedFaultException.class);
            assertThat(db.get(b("before"))).isEqualTo(b("1"));
            assertThat(db.get(b("after"))).isNull();
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("before"))).isEqualTo(b("1"));
            assertThat(db.get(b("after"))).isNull();
        }
    }

    @Test
    void aFullDiskFailsTheWriteAndTheStoreStaysReadable() throws IOException {
        FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
        try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
            db.put(b("k"), b("v"));
            storage.failWhen(Fault.diskFullAfter(storage.bytesWritten() + 100));
            assertThatThrownBy(() -> db.put(b("big"), new byte[10_000])).isInstanceOf(IOException.class);
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
            assertThat(db.get(b("big"))).isNull();
        }
    }

    @Test
    void aFailedFlushTurnsTheStoreReadOnlyAndTheWalStillHoldsTheWrites() throws IOException {
        FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
        try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
            db.put(b("a"), b("1"));
            storage.failWhen(Fault.on(OperationKind.APPEND).matching("*.ldb").once());
            assertThatThrownBy(db::flush).isInstanceOf(InjectedFaultException.class);
            assertThatThrownBy(() -> db.put(b("b"), b("2"))).hasMessageContaining("read-only");
            assertThat(db.get(b("a"))).isEqualTo(b("1"));
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("a"))).isEqualTo(b("1"));
            assertThat(db.get(b("b"))).isNull();
        }
    }

    @Test
    void aFailedCompactionLeavesEveryKeyReadable() throws IOException {
        FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
        try (Db db = Db.open(dir, Options.defaults().withStorage(storage))) {
            for (int i = 0; i < 100; i++) {
                db.put(b("k" + i), b("v" + i));
                if (i % 25 == 24) {
                    db.flush();
                }
            }
            storage.failWhen(Fault.on(OperationKind.SYNC).matching("*.ldb").once());
            assertThatThrownBy(() -> db.compactRange(null, null)).isInstanceOf(InjectedFaultException.class);
            for (int i = 0; i < 100; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(b("v" + i));
            }
        }
        try (Db db = Db.open(dir, Options.defaults())) {
            for (int i = 0; i < 100; i++) {
                assertThat(db.get(b("k" + i))).isEqualTo(b("v" + i));
            }
        }
    }

    @Test
    void anOpenThatFailsReleasesTheLock() throws IOException {
        Db.open(dir, Options.defaults()).close();
        FaultInjectingStorage storage = FaultInjectingStorage.wrap(NioStorage.of(fs));
        storage.failWhen(Fault.on(OperationKind.CREATE).matching("MANIFEST-*").once());
        assertThatThrownBy(() -> Db.open(dir, Options.defaults().withStorage(storage)))
                .isInstanceOf(InjectedFaultException.class);
        Db.open(dir, Options.defaults()).close();
    }

    @Test
    void damageInTheMiddleOfTheWalFailsTheOpenUnlessTheModeTakesIt() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            for (int i = 0; i < 2000; i++) {
                db.put(b("key" + i), new byte[20], WriteOptions.noSync());
            }
        }
        Path log = onlyLog();
        long damage = 5000;
        Corruptor.of(log).flipBit(damage, 3);
        assertThatThrownBy(() -> Db.open(dir, Options.defaults()))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.file()).isEqualTo(log.toString());
                    assertThat(e.offset()).isLessThanOrEqualTo(damage).isGreaterThan(damage - 100);
                });
        try (Db db = Db.open(dir, Options.defaults().withWalRecoveryMode(WalRecoveryMode.SKIP_ANY_CORRUPTED))) {
            assertThat(db.get(b("key0"))).isEqualTo(new byte[20]);
            assertThat(db.get(b("key1999"))).isEqualTo(new byte[20]);
        }
    }

    @Test
    void aTornWalTailIsDroppedByDefaultAndRefusedUnderAbsoluteConsistency() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("a"), b("1"));
            db.put(b("b"), b("2"));
        }
        Path log = onlyLog();
        Corruptor.of(log).truncate(Files.size(log) - 3);
        assertThatThrownBy(() -> Db.open(dir, Options.defaults().withWalRecoveryMode(WalRecoveryMode.ABSOLUTE_CONSISTENCY)))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("TORN_TAIL");
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("a"))).isEqualTo(b("1"));
            assertThat(db.get(b("b"))).isNull();
        }
    }

    @Test
    void aStrayTableFileIsNotTakenForData() throws IOException {
        try (Db db = Db.open(dir, Options.defaults())) {
            db.put(b("a"), b("1"));
        }
        Files.write(dir.resolve("000999.ldb"), b("not a table"));
        try (Db db = Db.open(dir, Options.defaults())) {
            assertThat(db.get(b("a"))).isEqualTo(b("1"));
        }
        assertThat(Files.exists(dir.resolve("000999.ldb"))).as("an orphan is deleted once the MANIFEST is durable").isFalse();
    }

    private Path onlyLog() throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> logs = files.filter(p -> p.toString().endsWith(".log")).toList();
            assertThat(logs).hasSize(1);
            return logs.get(0);
        }
    }
}
