package org.lsmtree.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellTokensTest {
    @Test
    void whitespaceSeparatesArgumentsAndRunsOfItCountAsOne() {
        assertThat(texts("SET   a\t b ")).containsExactly("SET", "a", "b");
    }

    @Test
    void doubleQuotesKeepSpacesAndUnderstandEscapes() {
        List<ShellTokens.Token> tokens = ShellTokens.split("SET \"a b\" \"x\\\"y\\\\z\\n\\x01\"");
        assertThat(tokens.get(1).bytes()).isEqualTo(bytes("a b"));
        assertThat(tokens.get(2).bytes()).isEqualTo(new byte[] {'x', '"', 'y', '\\', 'z', '\n', 1});
    }

    @Test
    void singleQuotesAreLiteral() {
        assertThat(ShellTokens.split("GET 'a \\n b'").get(1).bytes()).isEqualTo(bytes("a \\n b"));
    }

    @Test
    void bareHexIsBytesButQuotedHexIsText() {
        assertThat(ShellTokens.split("GET 0xCAFE").get(1).bytes()).containsExactly(0xca, 0xfe);
        assertThat(ShellTokens.split("GET \"0xCAFE\"").get(1).bytes()).isEqualTo(bytes("0xCAFE"));
    }

    @Test
    void quotesJoinWithAdjacentText() {
        assertThat(ShellTokens.split("GET pre\"fix suf\"fix").get(1).bytes()).isEqualTo(bytes("prefix suffix"));
    }

    @Test
    void malformedLinesSayWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> ShellTokens.split("GET \"open")).hasMessage("unterminated double quote at column 5");
        assertThatThrownBy(() -> ShellTokens.split("GET 'open")).hasMessage("unterminated single quote at column 5");
        assertThatThrownBy(() -> ShellTokens.split("GET \"\\q\"")).hasMessage("unknown escape \\q at column 6");
        assertThatThrownBy(() -> ShellTokens.split("GET \"\\x4\"")).hasMessage("\\x needs two hex digits at column 6");
    }

    private static List<String> texts(String line) {
        return ShellTokens.split(line).stream().map(ShellTokens.Token::text).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
