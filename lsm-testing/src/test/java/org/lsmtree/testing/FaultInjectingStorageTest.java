package org.lsmtree.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.WritableFile;

/** Each kind of {@link Fault} rule, once and permanent, and the full disk. */
class FaultInjectingStorageTest {

    private FileSystem fileSystem;
    private FaultInjectingStorage storage;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        fileSystem = Jimfs.newFileSystem(Configuration.unix());
        storage = FaultInjectingStorage.wrap(NioStorage.of(fileSystem));
        dir = fileSystem.getPath("/db");
        storage.createDirectories(dir);
    }

    @AfterEach
    void tearDown() throws IOException {
        fileSystem.close();
    }

    @Test
    void faultByKindNamesKindPathAndIndexAndChangesNothing() throws IOException {
        storage.failWhen(Fault.on(OperationKind.RENAME));
        Path source = write("CURRENT.tmp", "x");
        long before = storage.operationCount();

        assertThatThrownBy(() -> storage.rename(source, dir.resolve("CURRENT")))
                .isInstanceOfSatisfying(InjectedFaultException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OperationKind.RENAME);
                    assertThat(e.path()).isEqualTo(source);
                    assertThat(e.operationIndex()).isEqualTo(before + 1);
                })
                .hasMessageContaining("RENAME")
                .hasMessageContaining("/db/CURRENT.tmp to /db/CURRENT")
                .hasMessageContaining("#" + (before + 1));
        assertThat(Files.exists(source)).isTrue();
        assertThat(Files.exists(dir.resolve("CURRENT"))).isFalse();
        assertThat(storage.firstFailure()).hasValueSatisfying(e -> assertThat(e.operationIndex()).isEqualTo(before + 1));
        assertThat(storage.faultsInjected()).isEqualTo(1);
    }

    @Test
    void onceFailsOnlyTheFirstMatch() throws IOException {
        storage.failWhen(Fault.on(OperationKind.SYNC).once());
        WritableFile out = storage.create(dir.resolve("f"));

        assertThatThrownBy(out::sync).isInstanceOf(InjectedFaultException.class);
        out.sync();
        out.sync();
    }

    @Test
    void permanentFailsEveryMatch() throws IOException {
        storage.failWhen(Fault.on(OperationKind.SYNC).permanently());
        WritableFile out = storage.create(dir.resolve("f"));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(out::sync).isInstanceOf(InjectedFaultException.class);
        }
        out.flush();
    }

    @Test
    void skipFirstLetsEarlierMatchesThrough() throws IOException {
        storage.failWhen(Fault.on(OperationKind.FLUSH).skipFirst(2).once());
        WritableFile out = storage.create(dir.resolve("f"));
        out.flush();
        out.flush();

        assertThatThrownBy(out::flush).isInstanceOf(InjectedFaultException.class);
        out.flush();
    }

    @Test
    void globMatchesTheFileNameOnly() throws IOException {
        storage.failWhen(Fault.on(OperationKind.SYNC).matching("*.log").once());
        WritableFile table = storage.create(dir.resolve("000005.ldb"));
        WritableFile log = storage.create(dir.resolve("000004.log"));

        table.sync();
        assertThatThrownBy(log::sync).hasMessageContaining("/db/000004.log");
        log.sync();
    }

    @Test
    void regexMatchesTheWholeFileName() throws IOException {
        storage.failWhen(Fault.on(OperationKind.CREATE).matchingRegex("MANIFEST-\\d+"));
        storage.create(dir.resolve("MANIFEST-000001.bak")).close();

        assertThatThrownBy(() -> storage.create(dir.resolve("MANIFEST-000002")))
                .isInstanceOf(InjectedFaultException.class);
        assertThat(Files.exists(dir.resolve("MANIFEST-000002"))).isFalse();
    }

    @Test
    void atOperationFailsExactlyThatOperation() throws IOException {
        long next = storage.operationCount() + 1;
        storage.failWhen(Fault.atOperation(next + 1));

        storage.exists(dir);
        assertThatThrownBy(() -> storage.list(dir))
                .isInstanceOfSatisfying(InjectedFaultException.class,
                        e -> assertThat(e.operationIndex()).isEqualTo(next + 1))
                .hasMessageContaining("LIST");
        storage.list(dir);
    }

    @Test
    void fromOperationOnFailsEverythingAfterwards() throws IOException {
        storage.failWhen(Fault.onAnyOperation().fromOperation(storage.operationCount() + 2));
        storage.exists(dir);

        assertThatThrownBy(() -> storage.exists(dir)).isInstanceOf(InjectedFaultException.class);
        assertThatThrownBy(() -> storage.syncDirectory(dir))
                .hasMessageContaining("SYNC_DIRECTORY");
        assertThatThrownBy(() -> storage.lock(dir.resolve("LOCK"))).hasMessageContaining("LOCK");
    }

    @Test
    void readsThroughOpenedFilesAreReadOperations() throws IOException {
        Path file = write("t", "0123456789");
        SequentialFile sequential = storage.openSequential(file);
        RandomReadFile random = storage.openRandomRead(file);
        storage.failWhen(Fault.on(OperationKind.READ).once());

        assertThatThrownBy(() -> random.read(0, new byte[4], 0, 4))
                .isInstanceOf(InjectedFaultException.class);
        assertThat(sequential.read(new byte[4], 0, 4)).isEqualTo(4);
        storage.failWhen(Fault.on(OperationKind.READ).once());
        assertThatThrownBy(() -> sequential.skip(1)).isInstanceOf(InjectedFaultException.class);
        assertThat(sequential.position()).isEqualTo(4);
        sequential.close();
        random.close();
    }

    @Test
    void deleteFaultKeepsTheFile() throws IOException {
        Path file = write("old.log", "x");
        storage.failWhen(Fault.on(OperationKind.DELETE).once());

        assertThatThrownBy(() -> storage.delete(file)).hasMessageContaining("DELETE");
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void fullDiskFailsTheCrossingAppendWithoutWritingAnything() throws IOException {
        storage.failWhen(Fault.diskFullAfter(10));
        WritableFile out = storage.create(dir.resolve("f"));
        out.append(bytes("123456"));

        assertThatThrownBy(() -> out.append(bytes("78901"))).hasMessageContaining("APPEND");
        ByteBuf big = Unpooled.copiedBuffer(bytes("abcdefgh"));
        try {
            assertThatThrownBy(() -> out.append(big)).isInstanceOf(InjectedFaultException.class);
        } finally {
            big.release();
        }
        out.append(bytes("7890"));
        assertThatThrownBy(() -> out.append(bytes("x"))).isInstanceOf(InjectedFaultException.class);
        out.close();

        assertThat(storage.bytesWritten()).isEqualTo(10);
        assertThat(storage.firstFailedAppendEnd()).as("6 bytes written, then 5 refused").isEqualTo(11);
        assertThat(new String(Files.readAllBytes(dir.resolve("f")), UTF_8))
                .isEqualTo("1234567890");
    }

    @Test
    void fullDiskWritingWhatFitsWritesThePartThatFitsThenFails() throws IOException {
        storage.failWhen(Fault.diskFullAfterWritingWhatFits(8));
        WritableFile out = storage.create(dir.resolve("f"));
        out.append(bytes("123456"));
        assertThatThrownBy(() -> out.append(bytes("78901")))
                .isInstanceOfSatisfying(InjectedFaultException.class, e -> assertThat(e.bytesWritten()).isEqualTo(2))
                .hasMessageContaining("2 bytes written");
        ByteBuf more = Unpooled.copiedBuffer(bytes("abc"));
        try {
            assertThatThrownBy(() -> out.append(more)).isInstanceOfSatisfying(InjectedFaultException.class,
                    e -> assertThat(e.bytesWritten()).isZero());
            assertThat(more.readableBytes()).isEqualTo(3);
        } finally {
            more.release();
        }
        out.close();
        assertThat(storage.bytesWritten()).isEqualTo(8);
        assertThat(storage.firstFailedAppendEnd()).isEqualTo(11);
        assertThat(new String(Files.readAllBytes(dir.resolve("f")), UTF_8)).isEqualTo("12345678");
    }

    @Test
    void fullDiskOnceFailsOnlyTheFirstCrossingAppend() throws IOException {
        storage.failWhen(Fault.diskFullAfter(4).once());
        WritableFile out = storage.create(dir.resolve("f"));

        assertThatThrownBy(() -> out.append(bytes("12345"))).isInstanceOf(IOException.class);
        out.append(bytes("12345"));
        assertThat(out.size()).isEqualTo(5);
    }

    @Test
    void aFlippedBitRuleWritesOneBitWrongLeavesTheCallersBytesAndReplaysFromItsSeed() throws IOException {
        byte[][] written = new byte[2][];
        for (int run = 0; run < 2; run++) {
            storage.clearFaults().failWhen(Fault.on(OperationKind.APPEND).matching("*.ldb").skipFirst(1).once()
                    .flippingABit(42));
            Path file = dir.resolve(run + ".ldb");
            byte[] source = bytes("0123456789");
            ByteBuf buffer = Unpooled.copiedBuffer(source);
            try (WritableFile out = storage.create(file)) {
                out.append(source);
                out.append(buffer);
                out.append(source);
                assertThat(buffer.readableBytes()).isEqualTo(10);
            } finally {
                buffer.release();
            }
            assertThat(source).isEqualTo(bytes("0123456789"));
            written[run] = Files.readAllBytes(file);
        }
        assertThat(storage.faultsInjected()).isEqualTo(2);
        byte[] intact = bytes("012345678901234567890123456789");
        int bitsWrong = 0;
        for (int i = 0; i < intact.length; i++) {
            bitsWrong += Integer.bitCount((written[0][i] ^ intact[i]) & 0xff);
            assertThat(i >= 10 && i < 20 || written[0][i] == intact[i]).as("byte %s outside the second append", i).isTrue();
        }
        assertThat(bitsWrong).isEqualTo(1);
        assertThat(written[1]).as("the same seed flips the same bit").isEqualTo(written[0]);
        assertThatThrownBy(() -> Fault.on(OperationKind.SYNC).flippingABit(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeFaultStillClosesTheFile() throws IOException {
        storage.failWhen(Fault.on(OperationKind.CLOSE).once());
        WritableFile out = storage.create(dir.resolve("f"));
        out.append(bytes("kept"));

        assertThatThrownBy(out::close).hasMessageContaining("CLOSE");
        assertThat(Files.readAllBytes(dir.resolve("f"))).isEqualTo(bytes("kept"));
    }

    @Test
    void clearFaultsDisarmsEverything() throws IOException {
        storage.failWhen(Fault.onAnyOperation()).clearFaults();

        storage.list(dir);
        assertThat(storage.operationCount()).isEqualTo(2);
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (WritableFile out = storage.create(file)) {
            out.append(bytes(content));
        }
        return file;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
