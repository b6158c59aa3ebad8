package org.lsmtree.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lsmtree.manifest.EditScenarios.key;

import com.google.common.io.BaseEncoding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;
import org.lsmtree.format.key.BytewiseComparator;
import org.lsmtree.testing.SeededCases;

class VersionEditCodecTest {
    private static final VersionEditCodec CODEC = VersionEditCodec.INSTANCE;
    private static final BaseEncoding HEX = BaseEncoding.base16().lowerCase();

    /** The worked example of docs/format/manifest.md. */
    static VersionEdit workedExample() {
        return new VersionEdit().setComparatorName(BytewiseComparator.NAME).setLogNumber(5).setNextFileNumber(7)
                .setLastSequence(100).deleteFile(0, 3)
                .addFile(0, new FileMetadata(6, 1234, key("a", 1), key("z", 100)));
    }

    @Test
    void workedExampleEncodesToTheDocumentedBytes() throws CorruptionException {
        String expected = "011a" + HEX.encode(BytewiseComparator.NAME.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "0205" + "0307" + "0464" + "060003"
                + "070006d209" + "09" + "610101000000000000" + "09" + "7a0164000000000000";
        byte[] bytes = CODEC.encode(workedExample());
        assertThat(HEX.encode(bytes)).isEqualTo(expected);
        assertThat(CODEC.decode(bytes)).isEqualTo(workedExample());
    }

    @Test
    void everyFieldIsEncodedInLevelDbsOrderWhateverTheSetterOrder() {
        VersionEdit edit = new VersionEdit().addFile(2, EditScenarios.file(9, "a", "b")).deleteFile(1, 4)
                .addCompactPointer(1, key("m", 3)).setLastSequence(1).setNextFileNumber(10).setPreviousLogNumber(2)
                .setLogNumber(3).setComparatorName("c");
        assertThat(HEX.encode(CODEC.encode(edit))).isEqualTo("010163" + "0203" + "0902" + "030a" + "0401"
                + "0501096d0103000000000000" + "060104" + "070209f107" + "0961015a000000000000"
                + "0962015b000000000000");
    }

    @Test
    void fieldsDecodeInAnyOrderAndARepeatedScalarKeepsTheLastValue() throws CorruptionException {
        byte[] bytes = HEX.decode("0307" + "0205" + "0209" + "060105" + "060105");
        VersionEdit edit = CODEC.decode(bytes);
        assertThat(edit.logNumber()).hasValue(9);
        assertThat(edit.nextFileNumber()).hasValue(7);
        assertThat(edit.deletedFiles()).containsExactly(new VersionEdit.DeletedFile(1, 5));
    }

    @Test
    void unknownTagIsCorruptionNamingTheTagAndItsOffset() {
        byte[] bytes = HEX.decode("0205" + "0307" + "2a01");
        assertThatThrownBy(() -> CODEC.decode(bytes)).isInstanceOfSatisfying(CorruptionException.class, e -> {
            assertThat(e.offset()).isEqualTo(4);
            assertThat(e.reason()).contains("unknown tag 42");
        });
    }

    @Test
    void retiredTagEightIsRejected() {
        byte[] bytes = HEX.decode("0205" + "0800");
        assertThatThrownBy(() -> CODEC.decode(bytes)).isInstanceOfSatisfying(CorruptionException.class, e -> {
            assertThat(e.offset()).isEqualTo(2);
            assertThat(e.reason()).contains("tag 8").contains("retired");
        });
    }

    @Test
    void levelSevenIsCorruption() {
        assertThatThrownBy(() -> CODEC.decode(HEX.decode("060705")))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(1);
                    assertThat(e.reason()).contains("tag 6").contains("level 7");
                });
    }

    @Test
    void keyShorterThanATrailerIsCorruption() {
        assertThatThrownBy(() -> CODEC.decode(HEX.decode("0501" + "03616263")))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(2);
                    assertThat(e.reason()).contains("tag 5").contains("shorter than an internal key");
                });
    }

    @Test
    void sequenceBeyondFiftySixBitsIsCorruption() {
        assertThatThrownBy(() -> CODEC.decode(HEX.decode("04" + "ffffffffffffffff01")))
                .isInstanceOfSatisfying(CorruptionException.class, e -> assertThat(e.reason()).contains("2^56"));
    }

    @Test
    void everyCutInsideAFieldIsCorruptionAndEveryCutBetweenFieldsDecodesAPrefix() {
        byte[] bytes = CODEC.encode(workedExample());
        int[] boundaries = {0, 28, 30, 32, 34, 37, bytes.length};
        int corrupt = 0;
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(bytes, cut);
            boolean boundary = java.util.Arrays.stream(boundaries).anyMatch(b -> b == prefix.length);
            if (boundary) {
                assertThat(CODEC.encode(decodeOrFail(prefix))).isEqualTo(prefix);
            } else {
                assertThatThrownBy(() -> CODEC.decode(prefix)).as("cut at %s", cut)
                        .isInstanceOf(CorruptionException.class);
                corrupt++;
            }
        }
        assertThat(corrupt).isEqualTo(bytes.length - boundaries.length + 1);
    }

    private static VersionEdit decodeOrFail(byte[] bytes) {
        try {
            return CODEC.decode(bytes);
        } catch (CorruptionException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void randomEditsRoundTrip() {
        SeededCases.check(200, random -> {
            for (VersionEdit edit : new EditScenarios(random).sequence(random.intBetween(0, 30))) {
                assertThat(CODEC.decode(CODEC.encode(edit))).isEqualTo(edit);
            }
        });
    }
}
