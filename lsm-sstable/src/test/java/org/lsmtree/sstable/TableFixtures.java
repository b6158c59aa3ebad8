package org.lsmtree.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.format.storage.Storage;
import org.lsmtree.format.storage.WritableFile;

/** Writes tables from sorted maps onto jimfs and reads them back whole. */
final class TableFixtures {
    static final TableOptions PLAIN = TableOptions.forPlainKeys(BytewiseComparator.INSTANCE);

    private TableFixtures() {}

    /** A file named {@code name} on a new jimfs file system; {@link #storageOf} reaches it. */
    static Path jimfsFile(String name) {
        FileSystem fileSystem = Jimfs.newFileSystem(Configuration.unix());
        return fileSystem.getPath("/" + name);
    }

    static Storage storageOf(Path file) {
        return NioStorage.of(file.getFileSystem());
    }

    static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static NavigableMap<byte[], byte[]> sortedMap() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    /** Writes {@code entries} (in the map's order, which must match the options) to {@code file}; returns the size. */
    static long write(Storage storage, Path file, TableOptions options, Map<byte[], byte[]> entries) throws IOException {
        try (WritableFile out = storage.create(file); TableBuilder builder = new TableBuilder(out, options)) {
            for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
                builder.add(entry.getKey(), entry.getValue());
            }
            long size = builder.finish();
            assertThat(out.size()).isEqualTo(size);
            out.sync();
            return size;
        }
    }

    /** Every entry, first to last. */
    static List<TableEntry> scan(InternalIterator iterator) throws IOException {
        List<TableEntry> entries = new ArrayList<>();
        for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
            entries.add(new TableEntry(iterator.key(), iterator.value()));
        }
        return entries;
    }

    /** Every entry, last to first. */
    static List<TableEntry> scanBackward(InternalIterator iterator) throws IOException {
        List<TableEntry> entries = new ArrayList<>();
        for (iterator.seekToLast(); iterator.isValid(); iterator.prev()) {
            entries.add(new TableEntry(iterator.key(), iterator.value()));
        }
        return entries;
    }

    /** A map's entries as a list, for comparison (records of arrays compare by content via {@link #same}). */
    static List<String> describe(List<TableEntry> entries) {
        List<String> out = new ArrayList<>();
        for (TableEntry entry : entries) {
            out.add(hex(entry.key()) + "=" + hex(entry.value()));
        }
        return out;
    }

    static List<String> describe(Map<byte[], byte[]> entries) {
        List<String> out = new ArrayList<>();
        entries.forEach((key, value) -> out.add(hex(key) + "=" + hex(value)));
        return out;
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** {@code count} random plain keys with values of up to {@code maxValue} bytes. */
    static NavigableMap<byte[], byte[]> randomEntries(Random random, int count, int maxValue) {
        NavigableMap<byte[], byte[]> entries = sortedMap();
        while (entries.size() < count) {
            byte[] key = new byte[1 + random.nextInt(24)];
            random.nextBytes(key);
            byte[] value = new byte[random.nextInt(maxValue + 1)];
            random.nextBytes(value);
            entries.put(key, value);
        }
        return entries;
    }

    /** Internal keys ("key000123" at sequence i + 1, puts) for {@code count} user keys. */
    static NavigableMap<byte[], byte[]> internalEntries(int count) {
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(TableOptions.defaults().comparator());
        for (int i = 0; i < count; i++) {
            entries.put(InternalKey.encode(b(String.format("key%06d", i)), i + 1, ValueType.PUT), b("value" + i));
        }
        return entries;
    }
}
