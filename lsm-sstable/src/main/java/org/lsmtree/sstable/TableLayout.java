package org.lsmtree.sstable;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.Crc32c;
import org.lsmtree.format.LittleEndian;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.Storage;

/**
 * Where everything in one table file lies, for inspection tools ({@code lsm sst dump --layout}):
 * the footer, the metaindex and index blocks and their entries, and every block's trailer
 * (compression type, stored and computed checksum). Reading a layout checks the footer's magic
 * and the metaindex and index blocks (a damaged one is a {@link CorruptionException} naming the
 * file and offset); data and meta blocks are only described, never decoded, so a bad checksum
 * there shows as a mismatch in its {@link BlockInfo}.
 *
 * <p>Added for {@code lsm-cli}: the package-private {@link Footer}, {@link BlockHandle} and
 * {@link BlockReader} stay private; this is their read-only view. An immutable value.
 */
public final class TableLayout {

    /**
     * One block: its kind ({@code data}, {@code filter}, {@code properties}, {@code meta},
     * {@code metaindex}, {@code index}), the metaindex name for meta blocks (else null), where it
     * lies (offset, contents size without the 5-byte trailer), the trailer's compression type
     * and the checksum stored and computed (unmasked).
     */
    public record BlockInfo(String kind, String name, long offset, long size, int compression, int storedCrc,
            int computedCrc) {
        /** Whether the stored checksum matches the block's bytes. */
        public boolean checksumOk() {
            return storedCrc == computedCrc;
        }

        /** The compression's name: {@code none}, {@code snappy} or {@code unknown(N)}. */
        public String compressionName() {
            Compression known = Compression.fromCode(compression);
            return known == null ? "unknown(" + compression + ")" : known.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An entry of the index block: the separator key (an internal key for a store's tables) and its block. */
    public record IndexEntry(byte[] separator, long offset, long size) {}

    private final long fileSize;
    private final BlockInfo metaindex;
    private final BlockInfo index;
    private final ImmutableList<IndexEntry> indexEntries;
    private final ImmutableList<BlockInfo> metaBlocks;
    private final ImmutableList<BlockInfo> dataBlocks;

    private TableLayout(long fileSize, BlockInfo metaindex, BlockInfo index, List<IndexEntry> indexEntries,
            List<BlockInfo> metaBlocks, List<BlockInfo> dataBlocks) {
        this.fileSize = fileSize;
        this.metaindex = metaindex;
        this.index = index;
        this.indexEntries = ImmutableList.copyOf(indexEntries);
        this.metaBlocks = ImmutableList.copyOf(metaBlocks);
        this.dataBlocks = ImmutableList.copyOf(dataBlocks);
    }

    /** Reads the layout of the table at {@code path}. */
    public static TableLayout read(Storage storage, Path path) throws IOException {
        String name = path.toString();
        try (RandomReadFile file = storage.openRandomRead(path)) {
            long size = file.size();
            if (size < SstableFormat.FOOTER_SIZE) {
                throw new CorruptionException(name, 0, "file of " + size + " bytes is too short to be a table");
            }
            long footerOffset = size - SstableFormat.FOOTER_SIZE;
            BlockReader blocks = new BlockReader(file, name, footerOffset, TableOptions.DEFAULT_MAX_BLOCK_SIZE);
            byte[] footerBytes = new byte[SstableFormat.FOOTER_SIZE];
            blocks.readFully(footerOffset, footerBytes, footerOffset);
            Footer footer;
            try {
                footer = Footer.decode(footerBytes);
            } catch (CorruptionException e) {
                throw e.locatedAt(name, footerOffset);
            }
            Block indexBlock = blocks.read(footer.index(), true, "index block");
            Block metaindexBlock = blocks.read(footer.metaindex(), true, "metaindex block");
            List<BlockInfo> metaBlocks = new ArrayList<>();
            BlockIterator meta = metaindexBlock.iterator(Arrays::compareUnsigned);
            for (meta.seekToFirst(); meta.isValid(); meta.next()) {
                String key = new String(meta.key(), StandardCharsets.ISO_8859_1);
                BlockHandle handle = TableReader.handleIn(metaindexBlock, meta.value(), "metaindex entry " + key);
                String kind = key.startsWith("filter.") ? "filter"
                        : key.equals(SstableFormat.PROPERTIES_META_KEY) ? "properties" : "meta";
                metaBlocks.add(describe(blocks, handle, kind, key));
            }
            List<IndexEntry> entries = new ArrayList<>();
            List<BlockInfo> dataBlocks = new ArrayList<>();
            BlockIterator index = indexBlock.iterator(Arrays::compareUnsigned);
            for (index.seekToFirst(); index.isValid(); index.next()) {
                BlockHandle handle = TableReader.handleIn(indexBlock, index.value(), "index entry");
                entries.add(new IndexEntry(index.key(), handle.offset(), handle.size()));
                dataBlocks.add(describe(blocks, handle, "data", null));
            }
            return new TableLayout(size, describe(blocks, footer.metaindex(), "metaindex", null),
                    describe(blocks, footer.index(), "index", null), entries, metaBlocks, dataBlocks);
        }
    }

    private static BlockInfo describe(BlockReader blocks, BlockHandle handle, String kind, String name)
            throws IOException {
        blocks.checkHandle(handle, kind + " block");
        byte[] stored = new byte[(int) handle.size() + SstableFormat.TRAILER_SIZE];
        blocks.readFully(handle.offset(), stored, handle.offset());
        int size = (int) handle.size();
        CRC32C crc = new CRC32C();
        crc.update(stored, 0, size + 1);
        int storedCrc = Crc32c.unmask(LittleEndian.getFixed32(stored, size + 1));
        return new BlockInfo(kind, name, handle.offset(), handle.size(), stored[size] & 0xff, storedCrc,
                (int) crc.getValue());
    }

    /** The file's size in bytes. */
    public long fileSize() {
        return fileSize;
    }

    /** The offset of the 48-byte footer. */
    public long footerOffset() {
        return fileSize - SstableFormat.FOOTER_SIZE;
    }

    public BlockInfo metaindex() {
        return metaindex;
    }

    public BlockInfo index() {
        return index;
    }

    /** The index block's entries, in order. */
    public List<IndexEntry> indexEntries() {
        return indexEntries;
    }

    /** The blocks the metaindex names, in its order. */
    public List<BlockInfo> metaBlocks() {
        return metaBlocks;
    }

    /** The data blocks, in index order. */
    public List<BlockInfo> dataBlocks() {
        return dataBlocks;
    }
}
