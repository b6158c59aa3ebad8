package org.lsmtree.leveldb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.leveldb.DbContractTest.b;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.CorruptionException;

/** {@code DBFactory.destroy} and {@code repair} of our factory, beyond what the port does. */
class RepairAndDestroyTest {
    @TempDir
    File directory;

    @Test
    void destroyDeletesLevelDbFilesOnlyAndKeepsADirectoryThatHoldsOthers() throws IOException {
        File store = storeWithOneKey();
        Files.writeString(new File(store, "notes.txt").toPath(), "mine");
        LsmDBFactory.factory.destroy(store, new Options());
        assertThat(store.list()).containsExactly("notes.txt");
    }

    @Test
    void destroyRemovesTheDirectoryWhenNothingElseIsInIt() throws IOException {
        File store = storeWithOneKey();
        LsmDBFactory.factory.destroy(store, new Options());
        assertThat(store).doesNotExist();
        LsmDBFactory.factory.destroy(store, new Options()); // nothing left to destroy is fine
    }

    @Test
    void destroyOfAnOpenStoreFailsAndDeletesNothing() throws IOException {
        File store = new File(directory, "db");
        try (DB db = LsmDBFactory.factory.open(store, new Options())) {
            db.put(b("k"), b("v"));
            String[] before = store.list();
            assertThatThrownBy(() -> LsmDBFactory.factory.destroy(store, new Options())).isInstanceOf(IOException.class);
            assertThat(store.list()).containsExactlyInAnyOrder(before);
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
    }

    /**
     * Three synced writes of 50 KB, each a log record over two or three 32 KiB blocks; a flipped
     * byte in the second record's middle fragment stops a default open, and repair keeps the
     * first and third.
     */
    @Test
    void repairSalvagesTheIntactRecordsOfADamagedLog() throws IOException {
        File store = new File(directory, "db");
        byte[] value = new byte[50_000];
        try (DB db = LsmDBFactory.factory.open(store, new Options())) {
            for (String key : new String[] {"k1", "k2", "k3"}) {
                Arrays.fill(value, (byte) key.charAt(1));
                db.put(b(key), value, new WriteOptions().sync(true));
            }
        }
        File[] logs = store.listFiles((dir, name) -> name.endsWith(".log"));
        assertThat(logs).hasSize(1);
        byte[] log = Files.readAllBytes(logs[0].toPath());
        log[70_000] ^= 0x01; // block 2: the middle of k2's record
        Files.write(logs[0].toPath(), log);

        assertThatThrownBy(() -> LsmDBFactory.factory.open(store, new Options()))
                .isInstanceOf(CorruptionException.class).hasMessageContaining(logs[0].getName());
        LsmDBFactory.factory.repair(store, new Options());
        try (DB db = LsmDBFactory.factory.open(store, new Options())) {
            assertThat(db.get(b("k1"))).containsOnly((byte) '1').hasSize(50_000);
            assertThat(db.get(b("k2"))).isNull();
            assertThat(db.get(b("k3"))).containsOnly((byte) '3').hasSize(50_000);
        }
    }

    @Test
    void repairCannotRebuildAMissingManifestAndSaysSo() throws IOException {
        File store = storeWithOneKey();
        assertThat(new File(store, "CURRENT").delete()).isTrue();
        assertThatThrownBy(() -> LsmDBFactory.factory.repair(store, new Options()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot rebuild a missing or damaged MANIFEST");
    }

    private File storeWithOneKey() throws IOException {
        File store = new File(directory, "db");
        try (DB db = LsmDBFactory.factory.open(store, new Options())) {
            db.put(b("k"), b("v"));
        }
        return store;
    }
}
