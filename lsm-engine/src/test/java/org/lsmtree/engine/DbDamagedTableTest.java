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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.testing.Corruptor;

/** A table damaged on disk gives an error naming the file and offset, never a wrong value. */
class DbDamagedTableTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void everyDamagedDataByteIsAnErrorAndNeverAWrongValue() throws IOException {
        try (Db db = Db.open(dir, Options.defaults().withBlockSize(256))) {
            for (int i = 0; i < 200; i++) {
                db.put(b(String.format("key%03d", i)), b("value" + i));
            }
            db.flush();
        }
        Path table = onlyTable();
        byte[] original = Files.readAllBytes(table);
        int errors = 0;
        // Every byte of the first data blocks (the table starts with them), one bit flipped at a time.
        for (int offset = 0; offset < 1500; offset++) {
            Files.write(table, original);
            Corruptor.of(table).flipBit(offset, offset % 8);
            try (Db db = Db.open(dir, Options.defaults())) {
                for (int i = 0; i < 200; i++) {
                    byte[] key = b(String.format("key%03d", i));
                    try {
                        byte[] value = db.get(key);
                        assertThat(value).as("byte %d flipped, key %d", offset, i).isEqualTo(b("value" + i));
                    } catch (CorruptionException e) {
                        assertThat(e.file()).isEqualTo(table.toString());
                        assertThat(e.offset()).isBetween(0L, (long) original.length);
                        errors++;
                    }
                }
            } catch (CorruptionException e) {
                errors++; // the damage was found while opening (a recovered table is read through at open)
            }
        }
        assertThat(errors).isGreaterThanOrEqualTo(1500);
    }

    @Test
    void anIteratorOverADamagedTableFailsInsteadOfSkipping() throws IOException {
        try (Db db = Db.open(dir, Options.defaults().withBlockSize(256))) {
            for (int i = 0; i < 200; i++) {
                db.put(b(String.format("key%03d", i)), b("value" + i));
            }
            db.flush();
        }
        Corruptor.of(onlyTable()).flipBit(300, 2);
        try (Db db = Db.open(dir, Options.defaults()); DbIterator it = db.iterator(ReadOptions.defaults())) {
            assertThatThrownBy(() -> {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    it.key();
                }
            }).isInstanceOf(CorruptionException.class).hasMessageContaining(onlyTable().toString());
        }
    }

    private Path onlyTable() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> tables = files.filter(p -> p.toString().endsWith(".ldb")).toList();
            assertThat(tables).hasSize(1);
            return tables.get(0);
        }
    }
}
