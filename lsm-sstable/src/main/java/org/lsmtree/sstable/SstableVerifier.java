package org.lsmtree.sstable;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.VerificationReport;
import org.lsmtree.format.Verifier;
import org.lsmtree.format.storage.RandomReadFile;
import org.lsmtree.format.storage.Storage;

/**
 * Checks a whole table and reports every problem with the offset of the block it is in: the
 * footer and its magic, every block's checksum and compression type, the metaindex (sorted names,
 * handles inside the file), the filter block's layout, every data block's entries and their order
 * inside and across blocks, index entries against the blocks they point to (separator at or after
 * the block's last key and before the next block's first; blocks laid end to end from offset 0),
 * every key passing its block's filter, and the properties block against what was counted. It
 * runs the checks a {@link TableReader} runs on open and on every block it loads
 * ({@link IndexCheck}, {@link DataBlockCheck}, {@link FilterBlockReader#checkFilters}), so it
 * reports whatever a reader refuses, and more.
 *
 * <p>Problem kinds: {@code TRUNCATED}, {@code BAD_FOOTER}, {@code BAD_BLOCK} (checksum,
 * compression, malformed entries), {@code BAD_HANDLE}, {@code BAD_METAINDEX}, {@code BAD_FILTER},
 * {@code BAD_KEY} (a key that is no internal key), {@code KEY_ORDER}, {@code INDEX_MISMATCH},
 * {@code BLOCK_LAYOUT}, {@code FILTER_MISS},
 * {@code PROPERTIES_MISMATCH}. Counts: {@code bytes}, {@code data blocks}, {@code entries},
 * {@code snappy blocks}.
 *
 * <p>Stateless apart from its options; thread-safe.
 */
public final class SstableVerifier implements Verifier {
    private final TableOptions options;

    /** A verifier for tables of {@code options}' key order and filter key. */
    public SstableVerifier(TableOptions options) {
        this.options = Preconditions.checkNotNull(options, "options");
    }

    @Override
    public VerificationReport verify(Storage storage, Path file) throws IOException {
        VerificationReport.Builder report = VerificationReport.builder(file.toString())
                .checked("footer length and magic")
                .checked("masked CRC32C and compression type of every block")
                .checked("metaindex names sorted, handles inside the file")
                .checked("filter block layout, no filter matching nothing, every key passing its block's filter")
                .checked("entries well formed, internal keys parse, keys increasing inside and across data blocks")
                .checked("index separators between their blocks' keys; data blocks end to end, before the meta blocks")
                .checked("properties block against the counted entries and blocks");
        try (RandomReadFile in = storage.openRandomRead(file)) {
            long size = in.size();
            report.count("bytes", size);
            if (size < SstableFormat.FOOTER_SIZE) {
                report.problem(0, "TRUNCATED", size + " bytes cannot hold the 48-byte footer");
                return report.build();
            }
            BlockReader blocks = new BlockReader(in, file.toString(), size - SstableFormat.FOOTER_SIZE,
                    options.maxBlockSize());
            Footer footer;
            byte[] footerBytes = new byte[SstableFormat.FOOTER_SIZE];
            blocks.readFully(size - SstableFormat.FOOTER_SIZE, footerBytes, size - SstableFormat.FOOTER_SIZE);
            try {
                footer = Footer.decode(footerBytes);
            } catch (CorruptionException e) {
                report.problem(size - SstableFormat.FOOTER_SIZE + Math.max(0, e.offset()), "BAD_FOOTER", e.reason());
                return report.build();
            }
            Meta meta = checkMetaindex(blocks, footer.metaindex(), report);
            Block index;
            try {
                index = blocks.read(footer.index(), true, "index block");
            } catch (CorruptionException e) {
                report.problem(e.offset(), "BAD_BLOCK", e.reason());
                return report.build();
            }
            long dataEnd = IndexCheck.dataEnd(footer, meta.filterHandle, meta.properties);
            new DataBlockWalk(options, blocks, index, dataEnd, meta.filter, report).run();
            checkProperties(blocks, meta.properties, report);
        }
        return report.build();
    }

    /** The meta blocks the metaindex names (any may be null). */
    private record Meta(FilterBlockReader filter, BlockHandle filterHandle, BlockHandle properties) {}

    private static Meta checkMetaindex(BlockReader blocks, BlockHandle handle, VerificationReport.Builder report)
            throws IOException {
        FilterBlockReader filter = null;
        BlockHandle filterHandle = null;
        BlockHandle properties = null;
        try {
            Block metaindex = blocks.read(handle, true, "metaindex block");
            BlockIterator entries = metaindex.iterator(Arrays::compareUnsigned);
            byte[] previous = null;
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                byte[] name = entries.key();
                if (previous != null && Arrays.compareUnsigned(previous, name) >= 0) {
                    report.problem(handle.offset(), "BAD_METAINDEX", "names out of order at "
                            + new String(name, StandardCharsets.ISO_8859_1));
                }
                previous = name;
                String text = new String(name, StandardCharsets.ISO_8859_1);
                BlockHandle meta = TableReader.handleIn(metaindex, entries.value(), "metaindex entry " + text);
                blocks.checkHandle(meta, text);
                if (text.equals(SstableFormat.FILTER_META_KEY)) {
                    filter = readFilter(blocks, meta, report);
                    filterHandle = meta;
                } else if (text.equals(SstableFormat.PROPERTIES_META_KEY)) {
                    properties = meta;
                }
            }
        } catch (CorruptionException e) {
            report.problem(e.offset(), "BAD_METAINDEX", e.reason());
        }
        return new Meta(filter, filterHandle, properties);
    }

    private static FilterBlockReader readFilter(BlockReader blocks, BlockHandle handle, VerificationReport.Builder report)
            throws IOException {
        try {
            FilterBlockReader filter = new FilterBlockReader(blocks.readContents(handle, true, "filter block"),
                    handle.offset());
            if (!filter.isWellFormed()) {
                report.problem(handle.offset(), "BAD_FILTER", "filter block of " + handle.size()
                        + " bytes does not parse (offset array or base)");
                return null;
            }
            for (int i = 0; i < filter.filterCount(); i++) {
                long start = filter.filterStart(i);
                long limit = filter.filterLimit(i);
                if (start > limit) {
                    report.problem(handle.offset(), "BAD_FILTER", "filter " + i + " runs from " + start + " back to " + limit);
                }
            }
            filter.checkFilters((kind, offset, reason) -> report.problem(offset, kind, reason));
            return filter;
        } catch (CorruptionException e) {
            report.problem(e.offset(), "BAD_BLOCK", e.reason());
            return null;
        }
    }

    private static void checkProperties(BlockReader blocks, BlockHandle handle, VerificationReport.Builder report)
            throws IOException {
        if (handle == null) {
            return;
        }
        try {
            TableProperties properties = TableProperties.readFrom(blocks.read(handle, true, "properties block"));
            VerificationReport built = report.build();
            if (built.problems().stream().noneMatch(p -> java.util.Set.of("BAD_BLOCK", "BAD_HANDLE", "BAD_KEY")
                    .contains(p.kind()))
                    && (properties.entries() != built.count("entries")
                            || properties.dataBlocks() != built.count("data blocks"))) {
                report.problem(handle.offset(), "PROPERTIES_MISMATCH", "properties say " + properties.entries()
                        + " entries in " + properties.dataBlocks() + " data blocks; the table holds "
                        + built.count("entries") + " in " + built.count("data blocks"));
            }
        } catch (CorruptionException e) {
            report.problem(e.offset(), "BAD_BLOCK", e.reason());
        }
    }
}
