package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.manifest.EditScenarios.BYTEWISE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.log.LogProblem;
import org.lsmtree.format.storage.WritableFile;
import org.lsmtree.manifest.ManifestReader.Replay;
import org.lsmtree.manifest.ManifestReader.TailPolicy;
import org.lsmtree.testing.Corruptor;

/**
 * Damage to a small MANIFEST at every byte: cut short at every offset, every bit of every edit
 * flipped. Either the damage is a corruption located at the start of the record it hit, or it is
 * a torn last edit that is dropped whole; never a wrong state.
 */
class ManifestDamageTest {
    private ManifestFiles files;
    private List<VersionEdit> edits;
    private List<Long> offsets;
    private byte[] original;

    @BeforeEach
    void writeManifest() throws IOException {
        files = new ManifestFiles();
        edits = new EditScenarios(11).sequence(7);
        offsets = files.writeRaw("MANIFEST-000001", edits);
        original = Corruptor.of(files.storage, files.path("MANIFEST-000001")).content();
    }

    private Path put(byte[] content) throws IOException {
        Path file = files.path("MANIFEST-000002");
        try (WritableFile out = files.storage.create(file)) {
            out.append(content);
        }
        return file;
    }

    /** The index of the record holding byte {@code offset}. */
    private int recordOf(long offset) {
        int record = 0;
        while (offsets.get(record + 1) <= offset) {
            record++;
        }
        return record;
    }

    /** How many records end at or before {@code length}. */
    private int wholeRecordsIn(long length) {
        int count = 0;
        while (count < edits.size() && offsets.get(count + 1) <= length) {
            count++;
        }
        return count;
    }

    @Test
    void truncationAtEveryOffsetDropsTheTornEditWholeOrIsLocatedUnderStrict() throws Exception {
        int torn = 0;
        for (int cut = 0; cut <= original.length; cut++) {
            Path file = put(Arrays.copyOf(original, cut));
            int whole = wholeRecordsIn(cut);
            boolean atBoundary = offsets.get(whole) == cut;
            if (whole == 0) {
                assertThatThrownBy(() -> ManifestReader.replay(files.storage, file, BYTEWISE,
                        TailPolicy.TOLERATE_TORN_TAIL)).as("cut at %s", cut).isInstanceOf(CorruptionException.class);
                continue;
            }
            Replay replay = ManifestReader.replay(files.storage, file, BYTEWISE, TailPolicy.TOLERATE_TORN_TAIL);
            assertThat(replay.state()).as("cut at %s", cut).isEqualTo(EditScenarios.fold(edits.subList(0, whole)));
            assertThat(replay.edits()).isEqualTo(whole);
            assertThat(replay.validLength()).isEqualTo(offsets.get(whole));
            assertThat(replay.droppedTail().isPresent()).as("cut at %s", cut).isEqualTo(!atBoundary);
            if (atBoundary) {
                assertThat(ManifestReader.replay(files.storage, file, BYTEWISE, TailPolicy.STRICT).state())
                        .isEqualTo(replay.state());
            } else {
                torn++;
                assertThat(replay.droppedTail().get().kind().isTail()).isTrue();
                assertThat(replay.droppedTail().get().offset()).isEqualTo(offsets.get(whole));
                assertThatThrownBy(() -> ManifestReader.replay(files.storage, file, BYTEWISE, TailPolicy.STRICT))
                        .isInstanceOfSatisfying(CorruptionException.class,
                                e -> assertThat(e.offset()).isEqualTo(offsets.get(whole)));
            }
        }
        assertThat(torn).isEqualTo(original.length - edits.size() - (int) (long) offsets.get(1) + 1);
    }

    @Test
    void everyBitFlipIsLocatedAtItsRecordUnderEitherPolicy() throws Exception {
        int located = 0;
        for (int offset = 0; offset < original.length; offset++) {
            int record = recordOf(offset);
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = original.clone();
                damaged[offset] ^= (byte) (1 << bit);
                Path file = put(damaged);
                String where = "bit " + bit + " of byte " + offset + " (record " + record + ")";
                for (TailPolicy policy : TailPolicy.values()) {
                    // A flip is damage, never a crash's torn tail: not even one in the last length field.
                    assertThatThrownBy(() -> ManifestReader.replay(files.storage, file, BYTEWISE, policy))
                            .as(where + " under " + policy).isInstanceOfSatisfying(CorruptionException.class, e -> {
                                assertThat(e.offset()).as(where).isEqualTo(offsets.get(record));
                                assertThat(e.file()).endsWith("MANIFEST-000002");
                            });
                }
                located++;
            }
        }
        assertThat(located).isEqualTo(original.length * 8);
    }

    @Test
    void aDamagedLengthInAnEarlierRecordIsNotMistakenForATornTail() throws Exception {
        assertThat(original.length).isLessThan(4096);
        byte[] damaged = original.clone();
        int lengthHigh = (int) (long) offsets.get(1) + 5;
        damaged[lengthHigh] = 0x10; // the second record now claims 4096+ bytes, more than the file holds
        Path file = put(damaged);
        assertThatThrownBy(() -> ManifestReader.replay(files.storage, file, BYTEWISE, TailPolicy.TOLERATE_TORN_TAIL))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(offsets.get(1));
                    assertThat(e.reason()).startsWith("BAD_LENGTH").contains("the length is damaged");
                });
    }

    @Test
    void aZeroedTailIsDroppedUnlessStrict() throws Exception {
        byte[] padded = Arrays.copyOf(original, original.length + 100);
        Path file = put(padded);
        Replay replay = ManifestReader.replay(files.storage, file, BYTEWISE, TailPolicy.TOLERATE_TORN_TAIL);
        assertThat(replay.state()).isEqualTo(EditScenarios.fold(edits));
        assertThat(replay.droppedTail().get().kind()).isEqualTo(LogProblem.Kind.ZEROED_TAIL);
        assertThatThrownBy(() -> ManifestReader.replay(files.storage, file, BYTEWISE, TailPolicy.STRICT))
                .isInstanceOfSatisfying(CorruptionException.class,
                        e -> assertThat(e.offset()).isEqualTo(original.length));
    }

    @Test
    void anEditBreakingAnInvariantIsCorruptionAtItsOffset() throws Exception {
        List<VersionEdit> bad = new java.util.ArrayList<>(edits);
        bad.add(3, new VersionEdit().deleteFile(4, 12345));
        List<Long> badOffsets = files.writeRaw("MANIFEST-000003", bad);
        assertThatThrownBy(() -> ManifestReader.replay(files.storage, files.path("MANIFEST-000003"), BYTEWISE,
                TailPolicy.TOLERATE_TORN_TAIL)).isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.file()).endsWith("MANIFEST-000003");
                    assertThat(e.offset()).isEqualTo(badOffsets.get(3));
                    assertThat(e.reason()).contains("deletes file 12345 from level 4");
                });
    }

    @Test
    void anUnknownTagInAWellFramedRecordNamesTheTagAndTheRecord() throws Exception {
        Path file = files.path("MANIFEST-000005");
        long second;
        try (org.lsmtree.format.log.LogWriter log = new org.lsmtree.format.log.LogWriter(files.storage.create(file))) {
            log.addRecord(VersionEditCodec.INSTANCE.encode(edits.get(0)));
            second = log.position();
            log.addRecord(new byte[] {0x02, 0x05, 0x2a, 0x01});
        }
        assertThatThrownBy(() -> ManifestReader.replay(files.storage, file, BYTEWISE, TailPolicy.TOLERATE_TORN_TAIL))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(second);
                    assertThat(e.reason()).contains("unknown tag 42").contains("byte 2 of its record");
                });
    }
}
