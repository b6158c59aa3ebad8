package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;

/** A table on the default file system, read through a memory mapping, reads and fails as one read positionally. */
class MappedTableTest {

    @TempDir Path tempDir;

    private final Storage storage = NioStorage.onDefaultFileSystem();
    private final TableOptions options = TableOptions.defaults().withBlockSize(256).withVerifyChecksums(true);

    private Path writeTable(NavigableMap<byte[], byte[]> entries) throws IOException {
        Path file = tempDir.resolve("000007.ldb");
        TableFixtures.write(storage, file, options, entries);
        return file;
    }

    @Test
    void aMappedTableScansAsThePositionalCopyDoes() throws IOException {
        NavigableMap<byte[], byte[]> entries = TableFixtures.internalEntries(2000);
        Path file = writeTable(entries);
        Path jimfs = TableFixtures.jimfsFile("000007.ldb");
        Files.write(jimfs, Files.readAllBytes(file));
        try (TableReader mapped = TableReader.open(storage, file, options);
                TableReader positional = TableReader.open(TableFixtures.storageOf(jimfs), jimfs, options);
                InternalIterator a = mapped.iterator();
                InternalIterator b = positional.iterator()) {
            assertThat(TableFixtures.describe(TableFixtures.scan(a))).isEqualTo(TableFixtures.describe(entries));
            assertThat(TableFixtures.describe(TableFixtures.scanBackward(a)))
                    .isEqualTo(TableFixtures.describe(TableFixtures.scanBackward(b)));
        }
    }

    @Test
    void aMappedTableShorterThanTheManifestSaysIsACorruptionNamingTheFile() throws IOException {
        Path file = writeTable(TableFixtures.internalEntries(500));
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size - 100);
        }
        assertThatThrownBy(() -> TableReader.open(storage, file, size, options, BlockCache.NONE, 7))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aFlippedByteInADataBlockOfAMappedTableIsACorruption() throws IOException {
        Path file = writeTable(TableFixtures.internalEntries(500));
        byte[] bytes = Files.readAllBytes(file);
        bytes[100] ^= 0x40; // inside the first data block
        Files.write(file, bytes);
        try (TableReader reader = TableReader.open(storage, file, options); InternalIterator iterator = reader.iterator()) {
            assertThatThrownBy(iterator::seekToFirst)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void aReadOfAClosedMappedTableFailsAndItsFileCanBeDeleted() throws IOException {
        Path file = writeTable(TableFixtures.internalEntries(500));
        TableReader reader = TableReader.open(storage, file, options);
        InternalIterator iterator = reader.iterator();
        reader.close();

        assertThatThrownBy(iterator::seekToFirst).isInstanceOf(IOException.class).hasMessageContaining("closed");
        Files.delete(file);
        assertThat(Files.exists(file)).isFalse();
    }
}
