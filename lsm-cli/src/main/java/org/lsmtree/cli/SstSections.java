package org.lsmtree.cli;

import java.io.PrintStream;
import org.lsmtree.sstable.TableLayout;
import org.lsmtree.sstable.TableProperties;

/**
 * The {@code --layout}, {@code --index} and {@code --properties} sections of
 * {@code lsm sst dump}: each prints its text (unless JSON was asked for) and returns its JSON.
 */
final class SstSections {
    private final TableLayout layout;
    private final boolean hex;
    private final PrintStream out;
    private final boolean json;

    SstSections(TableLayout layout, boolean hex, PrintStream out, boolean json) {
        this.layout = layout;
        this.hex = hex;
        this.out = out;
        this.json = json;
    }

    Json.Obj layout() {
        Json.Arr blocks = Json.arr();
        text("layout (" + layout.fileSize() + " bytes):");
        for (TableLayout.BlockInfo block : layout.dataBlocks()) {
            blocks.add(block(block));
        }
        for (TableLayout.BlockInfo block : layout.metaBlocks()) {
            blocks.add(block(block));
        }
        blocks.add(block(layout.metaindex()));
        blocks.add(block(layout.index()));
        text(String.format("  %-10s offset %8d  size %6d  magic 0xdb4775248b80fb57", "footer", layout.footerOffset(),
                48));
        return Json.obj().put("fileSize", layout.fileSize()).put("blocks", blocks)
                .put("footer", Json.obj().put("offset", layout.footerOffset()).put("size", 48));
    }

    private Json.Obj block(TableLayout.BlockInfo block) {
        String crc = String.format("crc 0x%08x %s", block.storedCrc(), block.checksumOk() ? "ok"
                : String.format("MISMATCH (computed 0x%08x)", block.computedCrc()));
        text(String.format("  %-10s offset %8d  size %6d  %-6s  %s%s", block.kind(), block.offset(), block.size(),
                block.compressionName(), crc, block.name() == null ? "" : "  " + block.name()));
        Json.Obj obj = Json.obj().put("kind", block.kind());
        if (block.name() != null) {
            obj.put("name", block.name());
        }
        return obj.put("offset", block.offset()).put("size", block.size()).put("compression", block.compressionName())
                .put("storedCrc", String.format("0x%08x", block.storedCrc()))
                .put("computedCrc", String.format("0x%08x", block.computedCrc())).put("checksumOk", block.checksumOk());
    }

    Json.Arr index() {
        Json.Arr entries = Json.arr();
        text("index (" + Words.count(layout.indexEntries().size(), "data block", "data blocks") + "):");
        for (TableLayout.IndexEntry entry : layout.indexEntries()) {
            text("  " + InternalKeyText.render(entry.separator(), hex) + " -> offset " + entry.offset() + " size "
                    + entry.size());
            entries.add(Json.obj().put("separator", InternalKeyText.json(entry.separator(), hex))
                    .put("offset", entry.offset()).put("size", entry.size()));
        }
        return entries;
    }

    /** The properties; {@code counted} (what reading the table found) when it records none, else null. */
    Json.Obj properties(TableProperties recorded, boolean hasFilter, TableCounts counted) {
        long snappy = layout.dataBlocks().stream().filter(b -> b.compression() == 1).count();
        String filter = layout.metaBlocks().stream().filter(b -> b.kind().equals("filter")).map(TableLayout.BlockInfo::name)
                .findFirst().orElse("none");
        text("properties:");
        text("  file size        " + layout.fileSize());
        text("  data blocks      " + layout.dataBlocks().size() + " (" + snappy + " snappy)");
        text("  filter           " + filter + (hasFilter ? "" : " (not used)"));
        Json.Obj obj = Json.obj().put("fileSize", layout.fileSize()).put("dataBlocks", layout.dataBlocks().size())
                .put("snappyBlocks", snappy).put("filter", filter);
        if (recorded == null) {
            text("  (no lsmtree.properties block: a table written by LevelDB; counted by reading it:)");
            counted.lines(hex).forEach(this::text);
            return obj.put("recorded", null).put("counted", counted.json(hex));
        }
        text("  creator          " + recorded.creator());
        text("  entries          " + recorded.entries());
        text("  raw key bytes    " + recorded.rawKeyBytes());
        text("  raw value bytes  " + recorded.rawValueBytes());
        text("  sequences        " + recorded.smallestSequence() + ".." + recorded.largestSequence());
        return obj.put("recorded", Json.obj().put("creator", recorded.creator()).put("entries", recorded.entries())
                .put("dataBlocks", recorded.dataBlocks()).put("rawKeyBytes", recorded.rawKeyBytes())
                .put("rawValueBytes", recorded.rawValueBytes()).put("smallestSequence", recorded.smallestSequence())
                .put("largestSequence", recorded.largestSequence()));
    }

    private void text(String line) {
        if (!json) {
            out.println(line);
        }
    }
}
