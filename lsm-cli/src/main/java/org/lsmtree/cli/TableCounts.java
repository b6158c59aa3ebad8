package org.lsmtree.cli;

import java.io.IOException;
import java.util.List;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.iterator.InternalIterator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.sstable.TableLayout;
import org.lsmtree.sstable.TableReader;

/**
 * What {@code sst dump --properties} counts by reading a table that records no properties (one
 * written by LevelDB): entries, puts and deletes, the key range, the sequence range and the raw
 * key and value bytes; damaged blocks are skipped and counted ({@link BlockByBlock}). Not
 * thread-safe.
 */
final class TableCounts {
    long entries;
    long deletes;
    long rawKeyBytes;
    long rawValueBytes;
    long smallestSequence = -1;
    long largestSequence = -1;
    byte[] smallest;
    byte[] largest;
    long damagedBlocks;

    static TableCounts read(TableReader table, List<TableLayout.IndexEntry> blocks) throws IOException {
        TableCounts counts = new TableCounts();
        try (InternalIterator iterator = table.iterator(true)) {
            new BlockByBlock(iterator, blocks).forEach(counts::add, (CorruptionException e) -> counts.damagedBlocks++);
        }
        return counts;
    }

    private void add(byte[] key, byte[] value) {
        entries++;
        rawKeyBytes += key.length;
        rawValueBytes += value.length;
        if (key.length < InternalKey.TRAILER_SIZE) {
            return;
        }
        long trailer = InternalKey.trailerOf(key);
        long sequence = InternalKeyText.sequence(trailer);
        if ((trailer & 0xff) == 0) {
            deletes++;
        }
        smallestSequence = smallestSequence < 0 ? sequence : Math.min(smallestSequence, sequence);
        largestSequence = Math.max(largestSequence, sequence);
        if (smallest == null) {
            smallest = key;
        }
        largest = key;
    }

    Json.Obj json(boolean hex) {
        return Json.obj().put("entries", entries).put("puts", entries - deletes).put("deletes", deletes)
                .put("smallest", smallest == null ? null : InternalKeyText.json(smallest, hex))
                .put("largest", largest == null ? null : InternalKeyText.json(largest, hex))
                .put("smallestSequence", smallestSequence < 0 ? null : smallestSequence)
                .put("largestSequence", largestSequence < 0 ? null : largestSequence)
                .put("rawKeyBytes", rawKeyBytes).put("rawValueBytes", rawValueBytes).put("damagedBlocks", damagedBlocks);
    }

    List<String> lines(boolean hex) {
        return List.of(
                "  entries          " + entries + " (" + Words.count(entries - deletes, "put", "puts") + ", "
                        + Words.count(deletes, "delete", "deletes") + ")",
                "  keys             " + (smallest == null ? "none" : InternalKeyText.render(smallest, hex) + " .. "
                        + InternalKeyText.render(largest, hex)),
                "  sequences        " + (smallestSequence < 0 ? "none" : smallestSequence + ".." + largestSequence),
                "  raw key bytes    " + rawKeyBytes,
                "  raw value bytes  " + rawValueBytes
                        + (damagedBlocks == 0 ? "" : "\n  damaged blocks   " + damagedBlocks + " (not counted)"));
    }
}
