package org.lsmtree.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;
import org.lsmtree.format.storage.NioStorage;
import org.lsmtree.manifest.CurrentFile;
import org.lsmtree.manifest.FileMetadata;
import org.lsmtree.manifest.LevelState;
import org.lsmtree.manifest.ManifestReader;
import org.lsmtree.manifest.ManifestWriter;
import org.lsmtree.manifest.VersionEdit;
import org.lsmtree.testing.ManualExecutor;

/**
 * Where a compaction cuts its outputs: besides the target size, where a file of the level below
 * the output level ends once the output holds half the target size ({@code Compaction.GrandparentCut}).
 */
class CompactionOutputCutTest {
    private static final int GRANDPARENTS = 16;
    private static final int KEYS_PER_GRANDPARENT = 100;
    private static final int VALUE_BYTES = 200;
    /** About 1.4 grandparents' bytes: cut by size alone, every output would straddle a boundary. */
    private static final long TARGET = 30 << 10;

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path dir = fs.getPath("/db");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    private static byte[] key(int n) {
        return String.format("k%05d", n).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void levelOneOutputsEndWhereALevelTwoFileEnds() throws IOException {
        Db.open(dir, Options.defaults().withCreateIfMissing(true)).close();
        var storage = NioStorage.of(fs);
        var comparator = new InternalKeyComparator(Options.defaults().comparator());
        LevelState state = ManifestReader.replay(storage, CurrentFile.manifest(storage, dir), comparator,
                ManifestReader.TailPolicy.STRICT).state();
        SstableTables format = new SstableTables(storage, Options.defaults());
        VersionEdit edit = new VersionEdit();
        byte[] value = new byte[VALUE_BYTES];
        long sequence = 0;
        for (int g = 0; g < GRANDPARENTS; g++) { // level 2: k00000..k00099, k00100..k00199, ...
            long number = 100 + g;
            var table = format.create(format.fileFor(dir, number));
            byte[] smallest = null;
            byte[] largest = null;
            for (int k = g * KEYS_PER_GRANDPARENT; k < (g + 1) * KEYS_PER_GRANDPARENT; k++) {
                largest = InternalKey.encode(key(k), ++sequence, ValueType.PUT);
                smallest = smallest == null ? largest : smallest;
                table.add(largest, value);
            }
            edit.addFile(2, new FileMetadata(number, table.finish(), smallest, largest));
        }
        long manifestNumber = 100 + GRANDPARENTS;
        ManifestWriter.create(storage, dir, manifestNumber,
                state.apply(edit.setNextFileNumber(manifestNumber + 1).setLastSequence(sequence))).close();
        CurrentFile.write(storage, dir, manifestNumber);

        ManualExecutor background = new ManualExecutor(1);
        Options options = Options.defaults().withBackgroundExecutor(background).withWriteBufferSize(4 << 20)
                .withTargetFileSize(TARGET).withLevelZeroTriggers(1, 2, 3).withCompression(Options.Compression.NONE);
        try (Db db = Db.open(dir, options)) {
            for (int k = 0; k < GRANDPARENTS * KEYS_PER_GRANDPARENT; k++) {
                db.put(key(k), value, WriteOptions.noSync());
            }
            db.flush(); // to level 0: it overlaps more than 10 target sizes of level 2
            background.runAll(); // level 0 -> level 1, with level 2 as grandparents

            LevelState after = db.core().internals().versions().current().state();
            List<FileMetadata> levelOne = after.files(1);
            List<FileMetadata> levelTwo = after.files(2);
            assertThat(after.files(0)).as("level 0 compacted").isEmpty();
            assertThat(levelTwo).hasSize(GRANDPARENTS);
            List<String> straddling = new ArrayList<>();
            for (FileMetadata file : levelOne) {
                if (!withinOne(file, levelTwo)) {
                    straddling.add(file.number() + " " + new String(InternalKey.userKeyOf(file.smallest()),
                            StandardCharsets.US_ASCII) + ".." + new String(InternalKey.userKeyOf(file.largest()),
                            StandardCharsets.US_ASCII));
                }
            }
            assertThat(straddling).as("level-1 files reaching into two level-2 files").isEmpty();
            assertThat(levelOne).as("one output per level-2 file").hasSize(GRANDPARENTS);
        }
    }

    private static boolean withinOne(FileMetadata file, List<FileMetadata> below) {
        var order = Options.defaults().comparator();
        byte[] smallest = InternalKey.userKeyOf(file.smallest());
        byte[] largest = InternalKey.userKeyOf(file.largest());
        for (FileMetadata other : below) {
            if (order.compare(smallest, InternalKey.userKeyOf(other.smallest())) >= 0
                    && order.compare(largest, InternalKey.userKeyOf(other.largest())) <= 0) {
                return true;
            }
        }
        return false;
    }
}
