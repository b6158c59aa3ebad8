package org.lsmtree.format.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.lsmtree.format.CorruptionException;

/**
 * Keys read from disk are checked with {@link InternalKey#problemWith} where they are parsed; the
 * accessors keep their preconditions for callers that skip it (issue 11, point 5).
 */
class InternalKeyParsingTest {

    @Test
    void aKeyShorterThanItsTrailerHasAProblemNamingItsLength() {
        for (int length = 0; length < InternalKey.TRAILER_SIZE; length++) {
            assertThat(InternalKey.problemWith(new byte[length]))
                    .isEqualTo("internal key of " + length + " bytes is shorter than its 8-byte trailer");
        }
    }

    @Test
    void anUnknownValueTypeIsAProblemAndEveryKnownOneIsNot() {
        byte[] key = InternalKey.encode("k".getBytes(StandardCharsets.US_ASCII), 5, ValueType.PUT);
        for (int type = 0; type < 256; type++) {
            key[key.length - InternalKey.TRAILER_SIZE] = (byte) type;
            if (ValueType.fromCode(type) == null) {
                assertThat(InternalKey.problemWith(key)).isEqualTo("internal key has unknown value type " + type);
            } else {
                assertThat(InternalKey.problemWith(key)).isNull();
            }
        }
        assertThat(InternalKey.problemWith(new byte[InternalKey.TRAILER_SIZE])).as("empty user key, DELETE").isNull();
    }

    @Test
    void decodingAShortOrUnknownKeyIsACorruption() {
        assertThatThrownBy(() -> InternalKey.decode(new byte[5])).isInstanceOfSatisfying(CorruptionException.class,
                e -> assertThat(e.reason()).contains("5 bytes"));
        byte[] key = InternalKey.encode(new byte[] {1}, 5, ValueType.PUT);
        key[1] = 7;
        assertThatThrownBy(() -> InternalKey.decode(key)).isInstanceOfSatisfying(CorruptionException.class,
                e -> {
                    assertThat(e.offset()).isEqualTo(1);
                    assertThat(e.reason()).contains("unknown value type 7");
                });
    }

    @Test
    void accessorsGivenAShortKeyFailAsACallersMistakeNotAnIndexError() {
        assertThatThrownBy(() -> InternalKey.trailerOf(new byte[5])).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 bytes");
        assertThatThrownBy(() -> InternalKey.userKeyOf(new byte[3])).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 bytes");
    }
}
