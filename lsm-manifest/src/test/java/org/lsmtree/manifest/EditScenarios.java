package org.lsmtree.manifest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.format.key.InternalKey;
import org.lsmtree.format.key.InternalKeyComparator;
import org.lsmtree.format.key.ValueType;

/**
 * Valid edit sequences for tests: what an engine's flushes, compactions, trivial moves and log
 * switches would record. Ranges of files at levels 1 and up are drawn from a counter that only
 * grows, so they never overlap; level-0 files get random, overlapping ranges.
 */
final class EditScenarios {
    static final InternalKeyComparator BYTEWISE = new InternalKeyComparator(BytewiseComparator.INSTANCE);

    private final Random random;
    private final List<List<Long>> live = new ArrayList<>();
    private long nextFile = 2;
    private long logNumber = 1;
    private long sequence;
    private long rangeCounter;

    EditScenarios(long seed) {
        this(new Random(seed));
    }

    /** Scenarios drawing from {@code random}: a property-test case's {@code SeededRandom}. */
    EditScenarios(Random random) {
        this.random = random;
        for (int level = 0; level < ManifestFormat.NUM_LEVELS; level++) {
            live.add(new ArrayList<>());
        }
    }

    static byte[] key(String userKey, long sequence) {
        return InternalKey.encode(userKey.getBytes(StandardCharsets.US_ASCII), sequence, ValueType.PUT);
    }

    static FileMetadata file(long number, String smallest, String largest) {
        return new FileMetadata(number, 1000 + number, key(smallest, number * 10), key(largest, number * 10 + 1));
    }

    /** The first edit: comparator and every required field. */
    VersionEdit first() {
        return new VersionEdit().setComparatorName(BytewiseComparator.NAME).setLogNumber(logNumber)
                .setNextFileNumber(nextFile).setLastSequence(sequence);
    }

    /** The first edit followed by {@code count} random valid edits. */
    List<VersionEdit> sequence(int count) {
        List<VersionEdit> edits = new ArrayList<>();
        edits.add(first());
        for (int i = 0; i < count; i++) {
            edits.add(next());
        }
        return edits;
    }

    /** One random valid edit. */
    VersionEdit next() {
        VersionEdit edit = new VersionEdit();
        switch (random.nextInt(5)) {
            case 0, 1 -> { // flush to level 0, with a log switch
                long number = nextFile++;
                int a = random.nextInt(1000);
                int b = a + random.nextInt(1000);
                edit.addFile(0, new FileMetadata(number, random.nextInt(1 << 20),
                        key(String.format("k%06d", a), sequence + 2), key(String.format("k%06d", b), sequence + 1)));
                live.get(0).add(number);
                logNumber = nextFile++;
                edit.setLogNumber(logNumber).setPreviousLogNumber(0);
            }
            case 2 -> { // compaction: some files of a level into a new file one level down
                int level = random.nextInt(ManifestFormat.NUM_LEVELS - 1);
                List<Long> inputs = live.get(level);
                int take = Math.min(inputs.size(), 1 + random.nextInt(3));
                for (int i = 0; i < take; i++) {
                    edit.deleteFile(level, inputs.remove(random.nextInt(inputs.size())));
                }
                long number = nextFile++;
                edit.addFile(level + 1, freshRange(number));
                live.get(level + 1).add(number);
                edit.addCompactPointer(level, key(String.format("p%06d", random.nextInt(1000)), sequence));
            }
            case 3 -> { // trivial move of a level 1+ file one level down
                int level = 1 + random.nextInt(ManifestFormat.NUM_LEVELS - 2);
                if (!live.get(level).isEmpty()) {
                    long number = live.get(level).remove(0);
                    edit.deleteFile(level, number);
                    edit.addFile(level + 1, freshRange(number));
                    live.get(level + 1).add(number);
                }
            }
            default -> { // a file dropped entirely (e.g. all its keys deleted)
                int level = random.nextInt(ManifestFormat.NUM_LEVELS);
                if (!live.get(level).isEmpty()) {
                    edit.deleteFile(level, live.get(level).remove(random.nextInt(live.get(level).size())));
                }
            }
        }
        sequence += random.nextInt(100);
        return edit.setNextFileNumber(nextFile).setLastSequence(sequence);
    }

    private FileMetadata freshRange(long number) {
        long start = rangeCounter;
        rangeCounter += 2 + random.nextInt(5);
        return new FileMetadata(number, random.nextInt(1 << 22), key(String.format("r%09d", start), sequence),
                key(String.format("r%09d", rangeCounter - 1), sequence));
    }

    /** Folds {@code edits} from the empty state. */
    static LevelState fold(List<VersionEdit> edits) throws Exception {
        LevelState state = LevelState.empty(BYTEWISE);
        for (VersionEdit edit : edits) {
            state = state.apply(edit);
        }
        return state;
    }
}
