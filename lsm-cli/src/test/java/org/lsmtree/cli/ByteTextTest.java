package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteTextTest {
    @Test
    void printableBytesRenderAsTextAndOthersAsHex() {
        assertThat(ByteText.render(bytes("key1"), false)).isEqualTo("key1");
        assertThat(ByteText.render(new byte[] {0, (byte) 0xff, 0x41}, false)).isEqualTo("0x00ff41");
        assertThat(ByteText.render(bytes("tab\there"), false)).isEqualTo("0x7461620968657265");
    }

    @Test
    void hexFlagForcesHexEvenForPrintableBytes() {
        assertThat(ByteText.render(bytes("AB"), true)).isEqualTo("0x4142");
        assertThat(ByteText.plain(bytes("AB"), true)).isEqualTo("0x4142");
    }

    @Test
    void textThatWouldReadBackDifferentlyIsQuoted() {
        assertThat(ByteText.render(bytes("a b"), false)).isEqualTo("\"a b\"");
        assertThat(ByteText.render(bytes("0x41"), false)).isEqualTo("\"0x41\"");
        assertThat(ByteText.render(new byte[0], false)).isEqualTo("\"\"");
        assertThat(ByteText.render(bytes("say \"hi\" \\"), false)).isEqualTo("\"say \\\"hi\\\" \\\\\"");
    }

    @Test
    void everyRenderingReadsBackInTheShellAsTheSameBytes() {
        List<byte[]> samples = List.of(bytes("plain"), bytes("with space"), bytes("0xnot hex"), new byte[0],
                new byte[] {0, 1, (byte) 0x80}, bytes("q\"uo\\te'"));
        for (byte[] sample : samples) {
            String rendered = ByteText.render(sample, false);
            List<ShellTokens.Token> tokens = ShellTokens.split("GET " + rendered);
            assertThat(tokens).as(rendered).hasSize(2);
            assertThat(tokens.get(1).bytes()).as(rendered).isEqualTo(sample);
        }
    }

    @Test
    void argumentsStartingWith0xAreHexAndBadHexSaysWhy() {
        assertThat(ByteText.parseArgument("0x00ff")).containsExactly(0, 0xff);
        assertThat(ByteText.parseArgument("0x")).isEmpty();
        assertThat(ByteText.parseArgument("plain")).isEqualTo(bytes("plain"));
        assertThatThrownBy(() -> ByteText.parseArgument("0x0")).hasMessage("bad hex '0x0': odd number of digits");
        assertThatThrownBy(() -> ByteText.parseArgument("0xg0")).hasMessage("bad hex '0xg0': 'g0' is not a hex byte");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
