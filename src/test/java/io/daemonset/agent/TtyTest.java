package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of exec's terminal: the script command line, sh quoting, resize messages. */
class TtyTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "plain        | 'plain'",
      "two words    | 'two words'",
      "it's         | 'it'\\''s'",
      "$HOME;rm -rf | '$HOME;rm -rf'",
      "\"\"         | ''",
  })
  void quotesOneWordForSh(String arg, String quoted) {
    assertThat(Tty.quote(arg)).isEqualTo(quoted);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`{\"Width\":100,\"Height\":40}`         | 100 | 40",
      "`{\"Height\":1,\"Width\":2}`            | 2   | 1",
      "`{\"Width\":0,\"Height\":0}`            | 0   | 0",
      "`{\"Width\":-1,\"Height\":40}`          | -   | -",
      "`{\"Width\":100}`                       | -   | -",
      "`{\"Width\":70000,\"Height\":40}`       | -   | -",
      "`not json`                              | -   | -",
      "``                                      | -   | -",
  })
  void readsResizeMessages(String payload, String width, String height) {
    byte[] message = ("\u0004" + payload).getBytes(StandardCharsets.UTF_8);
    Optional<Tty.Size> size = Tty.parseResize(message, 1);
    if (width.equals("-")) {
      assertThat(size).isEmpty();
    } else {
      assertThat(size).contains(new Tty.Size(Integer.parseInt(width), Integer.parseInt(height)));
    }
  }

  @org.junit.jupiter.api.Test
  void wrapsTheCommandInScriptWithTheFirstSizeSetInsideThePty() {
    assertThat(Tty.wrap(List.of("sh", "-c", "echo it's"), new Tty.Size(100, 40))).containsExactly("script", "-q",
        "-e", "-f", "-c", "stty rows 40 cols 100 2>/dev/null; exec 'sh' '-c' 'echo it'\\''s'", "/dev/null");
    assertThat(Tty.wrap(List.of("top"), null)).containsExactly("script", "-q", "-e", "-f", "-c", "exec 'top'",
        "/dev/null");
  }
}
