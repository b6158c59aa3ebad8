package org.lsmtree.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.storage.SequentialFile;
import org.lsmtree.format.storage.WritableFile;

/** What survives a simulated crash in each mode, and how the crash point freezes the storage. */
class CrashSimulatingStorageTest {

    private CrashSimulatingStorage storage;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        storage = CrashSimulatingStorage.create();
        dir = storage.path("/db");
        storage.createDirectories(dir);
    }

    @AfterEach
    void tearDown() throws IOException {
        storage.close();
    }

    @Test
    void dropUnsyncedKeepsOnlySyncedFilesWithDurableEntries() throws IOException {
        writeAndClose("A", "synced", true);
        writeAndClose("B", "not synced", false);
        storage.syncDirectory(dir);

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(read(after, "A")).isEqualTo("synced");
        assertThat(read(after, "B")).isEmpty();
    }

    @Test
    void aSyncedPrefixSurvivesACrashUpToTheFlushedBytes() throws IOException {
        org.lsmtree.format.storage.WritableFile out = storage.create(dir.resolve("L"));
        storage.syncDirectory(dir);
        out.append(bytes("durable|lost"));
        out.flush();
        out.append(bytes("|buffered"));
        long before = storage.operationCount();
        out.syncPrefix(8); // from another thread in the engine; numbered as a crash point all the same
        assertThat(storage.operationCount()).isEqualTo(before + 1);
        assertThat(storage.operationLog().get((int) before)).contains("SYNC_PREFIX");
        assertThat(read(storage.afterCrash(CrashMode.DROP_UNSYNCED, 0), "L")).isEqualTo("durable|");
        out.syncPrefix(4); // never lowers what is synced
        assertThat(read(storage.afterCrash(CrashMode.DROP_UNSYNCED, 0), "L")).isEqualTo("durable|");
        out.syncPrefix(100); // past the flushed bytes: only those are synced

        assertThat(read(storage.afterCrash(CrashMode.DROP_UNSYNCED, 0), "L")).isEqualTo("durable|lost");
        out.close();
        out.syncPrefix(100); // after close: nothing, not even a counted operation
        assertThat(storage.operationCount()).isEqualTo(before + 4); // three prefixes and the close's flush
    }

    @Test
    void syncedFileInAnUnsyncedDirectoryIsGoneAfterACrash() throws IOException {
        writeAndClose("A", "synced data", true);

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(after.exists(at(after, "A"))).isFalse();
        assertThat(after.exists(after.path("/db"))).isTrue();
        assertThat(after.list(after.path("/db"))).isEmpty();
    }

    @Test
    void renameWithoutDirectorySyncIsUndone() throws IOException {
        writeAndClose("CURRENT", "MANIFEST-1", true);
        storage.syncDirectory(dir);
        writeAndClose("CURRENT.tmp", "MANIFEST-2", true);
        storage.rename(dir.resolve("CURRENT.tmp"), dir.resolve("CURRENT"));

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(read(after, "CURRENT")).isEqualTo("MANIFEST-1");
        assertThat(after.exists(at(after, "CURRENT.tmp"))).isFalse();
    }

    @Test
    void renameOfADurableFileWithoutDirectorySyncKeepsTheOldName() throws IOException {
        writeAndClose("old", "content", true);
        storage.syncDirectory(dir);
        storage.rename(dir.resolve("old"), dir.resolve("new"));

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(read(after, "old")).isEqualTo("content");
        assertThat(after.exists(at(after, "new"))).isFalse();
    }

    @Test
    void renameIsDurableAfterTheDirectorySync() throws IOException {
        writeAndClose("CURRENT", "MANIFEST-1", true);
        writeAndClose("CURRENT.tmp", "MANIFEST-2", true);
        storage.rename(dir.resolve("CURRENT.tmp"), dir.resolve("CURRENT"));
        storage.syncDirectory(dir);

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(after.list(after.path("/db"))).containsExactly(at(after, "CURRENT"));
        assertThat(read(after, "CURRENT")).isEqualTo("MANIFEST-2");
    }

    @Test
    void deleteWithoutDirectorySyncIsUndone() throws IOException {
        writeAndClose("000005.log", "log", true);
        storage.syncDirectory(dir);
        storage.delete(dir.resolve("000005.log"));

        assertThat(read(storage.afterCrash(CrashMode.DROP_UNSYNCED, 0), "000005.log"))
                .isEqualTo("log");
        storage.syncDirectory(dir);
        assertThat(exists(storage.afterCrash(CrashMode.DROP_UNSYNCED, 0), "000005.log"))
                .isFalse();
    }

    @Test
    void renameAcrossDirectoriesIsDurableInEachDirectoryOnItsOwn() throws IOException {
        Path other = storage.path("/archive");
        storage.createDirectories(other);
        writeAndClose("f", "x", true);
        storage.syncDirectory(dir);
        storage.rename(dir.resolve("f"), other.resolve("f"));
        storage.syncDirectory(other);

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(read(after, "f")).isEqualTo("x");
        assertThat(after.exists(after.path("/archive/f"))).isTrue();
    }

    @Test
    void createOfAnExistingNameIsUndoneWithoutDirectorySync() throws IOException {
        writeAndClose("f", "old", true);
        storage.syncDirectory(dir);
        writeAndClose("f", "new", true);

        assertThat(read(storage, "f")).isEqualTo("new");
        assertThat(read(storage.afterCrash(CrashMode.DROP_UNSYNCED, 0), "f")).isEqualTo("old");
    }

    @Test
    void processCrashKeepsFlushedBytesButLosesUnflushedOnes() throws IOException {
        WritableFile out = storage.create(dir.resolve("log"));
        out.append(bytes("flushed "));
        out.flush();
        out.append(bytes("buffered"));

        assertThat(read(storage.afterCrash(CrashMode.PROCESS_CRASH, 0), "log"))
                .isEqualTo("flushed ");
        assertThat(exists(storage.afterCrash(CrashMode.DROP_UNSYNCED, 0), "log"))
                .isFalse();
    }

    @Test
    void processCrashKeepsUnsyncedDirectoryChanges() throws IOException {
        writeAndClose("a", "1", false);
        storage.rename(dir.resolve("a"), dir.resolve("b"));

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.PROCESS_CRASH, 0);

        assertThat(after.list(after.path("/db"))).containsExactly(at(after, "b"));
        assertThat(read(after, "b")).isEqualTo("1");
    }

    @Test
    void tornKeepsAPrefixBetweenSyncedAndFlushedLengths() throws IOException {
        String flushed = logOfSyncedFlushedAndBufferedBytes();

        Set<String> outcomes = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            String content = read(storage.afterCrash(CrashMode.TORN, seed), "log");
            assertThat(flushed).startsWith(content);
            assertThat(content.length()).isBetween(10, flushed.length());
            outcomes.add(content);
        }

        assertThat(outcomes).hasSizeGreaterThan(5);
        assertThat(read(storage.afterCrash(CrashMode.TORN, 42), "log"))
                .isEqualTo(read(storage.afterCrash(CrashMode.TORN, 42), "log"));
    }

    @Test
    void tornKeepsOrLosesEachUnsyncedDirectoryChange() throws IOException {
        writeAndClose("a", "A", true);
        writeAndClose("b", "B", true);

        Set<String> outcomes = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            CrashSimulatingStorage after = storage.afterCrash(CrashMode.TORN, seed);
            outcomes.add(after.list(after.path("/db")).toString());
        }

        assertThat(outcomes).containsExactlyInAnyOrder(
                "[]", "[/db/a]", "[/db/b]", "[/db/a, /db/b]");
    }

    @Test
    void garbageTailKeepsTheLengthAndOverwritesOnlyUnsyncedBytes() throws IOException {
        String flushed = logOfSyncedFlushedAndBufferedBytes();

        Set<Integer> garbageStarts = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            CrashSimulatingStorage after = storage.afterCrash(CrashMode.GARBAGE_TAIL, seed);
            byte[] content = Corruptor.of(after, at(after, "log")).content();
            assertThat(content).hasSize(flushed.length());
            int start = firstDifference(content, bytes(flushed));
            assertThat(start).as("seed %s", seed).isBetween(10, flushed.length() - 1);
            for (int i = start; i < content.length; i++) {
                assertThat(content[i]).as("seed %s, byte %s", seed, i).isNotEqualTo(bytes(flushed)[i]);
            }
            garbageStarts.add(start);
        }

        assertThat(garbageStarts).hasSizeGreaterThan(10);
        assertThat(read(storage.afterCrash(CrashMode.GARBAGE_TAIL, 7), "log"))
                .isEqualTo(read(storage.afterCrash(CrashMode.GARBAGE_TAIL, 7), "log"));
    }

    @Test
    void garbageTailLeavesFullySyncedFilesAndDirectoryChangesAlone() throws IOException {
        writeAndClose("synced", "all of it", true);
        writeAndClose("gone", "deleted", true);
        storage.syncDirectory(dir);
        storage.delete(dir.resolve("gone"));
        writeAndClose("new", "", false);

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.GARBAGE_TAIL, 3);

        assertThat(read(after, "synced")).isEqualTo("all of it");
        assertThat(after.list(after.path("/db"))).containsExactlyInAnyOrder(at(after, "synced"), at(after, "new"));
    }

    @Test
    void revertDirectoryChangesUndoesUnsyncedCreatesRenamesAndDeletesButKeepsContents() throws IOException {
        writeAndClose("kept", "durable name", false);
        writeAndClose("renamed", "old name", false);
        writeAndClose("deleted", "comes back", false);
        storage.syncDirectory(dir);
        storage.rename(dir.resolve("renamed"), dir.resolve("new-name"));
        storage.delete(dir.resolve("deleted"));
        writeAndClose("created", "vanishes", true);
        WritableFile appended = storage.openAppendable(dir.resolve("kept"));
        appended.append(bytes(", more"));
        appended.flush();

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.REVERT_DIRECTORY_CHANGES, 0);

        assertThat(after.list(after.path("/db"))).containsExactlyInAnyOrder(
                at(after, "kept"), at(after, "renamed"), at(after, "deleted"));
        assertThat(read(after, "kept")).isEqualTo("durable name, more");
        assertThat(read(after, "renamed")).isEqualTo("old name");
        assertThat(read(after, "deleted")).isEqualTo("comes back");
    }

    @Test
    void theListenerSeesEachOperationAfterItTookEffect() throws IOException {
        java.util.List<String> seen = new java.util.ArrayList<>();
        storage.afterEachOperation(operation -> {
            try {
                seen.add(operation + ":" + read(storage.afterCrash(CrashMode.PROCESS_CRASH, 0), "f"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long start = storage.operationCount();
        try (WritableFile out = storage.create(dir.resolve("f"))) {
            out.append(bytes("x"));
            out.flush();
        }
        storage.delete(dir.resolve("f"));
        storage.crash();
        assertThatThrownBy(() -> storage.syncDirectory(dir)).isInstanceOf(SimulatedCrashException.class);

        assertThat(seen).containsExactly((start + 1) + ":", (start + 2) + ":", (start + 3) + ":x", (start + 4) + ":");
    }

    @Test
    void crashAfterFreezesTheStateAndLaterOperationsThrow() throws IOException {
        long start = storage.operationCount();
        WritableFile out = storage.create(dir.resolve("log")); // start + 1
        out.append(bytes("one")); // start + 2
        out.sync(); // start + 3
        storage.syncDirectory(dir); // start + 4
        storage.crashAfter(start + 5);
        out.append(bytes("two")); // start + 5, the last one allowed

        assertThatThrownBy(out::sync)
                .isInstanceOf(SimulatedCrashException.class)
                .hasMessageContaining("SYNC");
        assertThatThrownBy(() -> storage.delete(dir.resolve("log")))
                .isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(out::close).isInstanceOf(SimulatedCrashException.class);
        assertThat(storage.isCrashed()).isTrue();
        assertThat(storage.operationCount()).isEqualTo(start + 5);
        assertThat(storage.operationLog()).last().asString().contains("APPEND", "/db/log");
        assertThat(read(storage, "log")).isEqualTo("one");
        assertThat(read(storage.afterCrash(CrashMode.PROCESS_CRASH, 0), "log")).isEqualTo("one");
    }

    @Test
    void operationsAreNumberedAndLogged() throws IOException {
        CrashSimulatingStorage fresh = CrashSimulatingStorage.create();
        fresh.createDirectories(fresh.path("/x"));
        try (WritableFile out = fresh.create(fresh.path("/x/f"))) {
            out.append(bytes("z"));
        }
        fresh.exists(fresh.path("/x/f"));

        assertThat(fresh.operationLog()).containsExactly(
                "#1 CREATE_DIRECTORIES /x", "#2 CREATE /x/f", "#3 APPEND /x/f", "#4 FLUSH /x/f");
        assertThat(fresh.operationCount()).isEqualTo(4);
    }

    @Test
    void crashStateCanItselfCrashAgain() throws IOException {
        writeAndClose("A", "synced", true);
        storage.syncDirectory(dir);
        CrashSimulatingStorage first = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);
        assertThat(first.operationCount()).isZero();

        try (WritableFile out = first.openAppendable(at(first, "A"))) {
            out.append(bytes(" and more"));
            out.flush();
        }
        try (WritableFile out = first.create(at(first, "B"))) {
            out.append(bytes("b"));
            out.sync();
        }
        CrashSimulatingStorage second = first.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(read(second, "A")).isEqualTo("synced");
        assertThat(second.exists(at(second, "B"))).isFalse();
        assertThat(read(first.afterCrash(CrashMode.PROCESS_CRASH, 0), "A"))
                .isEqualTo("synced and more");
    }

    @Test
    void deletedFileKeepsItsShadowForTheCrashState() throws IOException {
        WritableFile out = storage.create(dir.resolve("f"));
        storage.syncDirectory(dir);
        storage.delete(dir.resolve("f"));
        out.append(bytes("written after unlink"));
        out.sync();

        assertThat(read(storage.afterCrash(CrashMode.DROP_UNSYNCED, 0), "f"))
                .isEqualTo("written after unlink");
        assertThat(exists(storage.afterCrash(CrashMode.PROCESS_CRASH, 0), "f"))
                .isFalse();
    }

    @Test
    void lockFileIsAnOrdinaryFileAndTheLockIsNotCarriedOver() throws IOException {
        storage.lock(dir.resolve("LOCK"));
        storage.syncDirectory(dir);

        CrashSimulatingStorage after = storage.afterCrash(CrashMode.DROP_UNSYNCED, 0);

        assertThat(after.exists(at(after, "LOCK"))).isTrue();
        after.lock(at(after, "LOCK")).close();
    }

    /**
     * Creates {@code /db/log} (its name durable) holding 10 synced bytes, then 26 flushed ones,
     * then 13 only appended; returns what was flushed.
     */
    private String logOfSyncedFlushedAndBufferedBytes() throws IOException {
        storage.syncDirectory(dir); // nothing pending: only the bytes differ between crash states
        WritableFile out = storage.create(dir.resolve("log"));
        storage.syncDirectory(dir);
        out.append(bytes("0123456789"));
        out.sync();
        out.append(bytes("abcdefghijklmnopqrstuvwxyz"));
        out.flush();
        out.append(bytes("never flushed"));
        return "0123456789abcdefghijklmnopqrstuvwxyz";
    }

    private void writeAndClose(String name, String content, boolean sync) throws IOException {
        try (WritableFile out = storage.create(dir.resolve(name))) {
            out.append(bytes(content));
            if (sync) {
                out.sync();
            }
        }
    }

    /** {@code /db/name} on {@code in}'s own file system. */
    private static Path at(CrashSimulatingStorage in, String name) {
        return in.path("/db", name);
    }

    /** The content of {@code /db/name} in {@code in}, or "" when it does not exist. */
    private static String read(CrashSimulatingStorage in, String name) throws IOException {
        Path file = at(in, name);
        if (!in.exists(file)) {
            return "";
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try (SequentialFile input = in.openSequential(file)) {
            byte[] buffer = new byte[64];
            for (int n; (n = input.read(buffer, 0, buffer.length)) > 0; ) {
                content.write(buffer, 0, n);
            }
        }
        return content.toString(UTF_8);
    }

    private static int firstDifference(byte[] a, byte[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return Math.min(a.length, b.length);
    }

    private static boolean exists(CrashSimulatingStorage in, String name) {
        return in.exists(at(in, name));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
