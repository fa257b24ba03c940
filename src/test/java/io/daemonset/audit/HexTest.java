package io.daemonset.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The chain's hex, by table, is {@link HexFormat#of()}'s, both ways. */
class HexTest {
  @Test
  void formatsAndParsesAsHexFormat() {
    Random random = new Random(9);
    for (int length : new int[] {0, 1, 2, 31, 32, 33, 64}) {
      for (int round = 0; round < 200; round++) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        String text = HexFormat.of().formatHex(bytes);
        assertThat(Hex.format(bytes)).isEqualTo(text);
        assertThat(Hex.parse(text)).isEqualTo(bytes);
        assertThat(Hex.parse(text.toUpperCase())).isEqualTo(HexFormat.of().parseHex(text.toUpperCase()));
      }
    }
  }

  @Test
  void rejectsWhatHexFormatRejects() {
    for (String bad : new String[] {"0", "0g", "zz", "00 1", "é0", "\u0660\u0661"}) {
      assertThatThrownBy(() -> Hex.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
