package io.daemonset.audit;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Lower-case hex of the chain's digests, as {@link HexFormat#of()} writes and reads it, by table: the sealer formats
 * two digests and parses one per link, and {@code HexFormat}'s per-character appends to a StringBuilder were a
 * measurable share of the sealer's samples under C1 (docs/performance.md, "audit9").
 */
final class Hex {
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final HexFormat STRICT = HexFormat.of();
  /** The value of each ASCII hex digit, -1 for any other ASCII character ({@code Character.digit} takes others too). */
  private static final int[] VALUES = new int[128];

  static {
    java.util.Arrays.fill(VALUES, -1);
    for (int i = 0; i < 16; i++) {
      VALUES["0123456789abcdef".charAt(i)] = i;
      VALUES["0123456789ABCDEF".charAt(i)] = i;
    }
  }

  private Hex() {}

  /** What {@code HexFormat.of().formatHex(bytes)} returns. */
  static String format(byte[] bytes) {
    byte[] out = new byte[bytes.length * 2];
    for (int i = 0, o = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      out[o++] = DIGITS[b >>> 4];
      out[o++] = DIGITS[b & 0x0f];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** What {@code HexFormat.of().parseHex(text)} returns, and the same exception for text that is not hex. */
  static byte[] parse(String text) {
    int length = text.length();
    if ((length & 1) != 0) {
      return STRICT.parseHex(text);
    }
    byte[] out = new byte[length / 2];
    for (int i = 0; i < out.length; i++) {
      int high = value(text.charAt(2 * i));
      int low = value(text.charAt(2 * i + 1));
      if (high < 0 || low < 0) {
        return STRICT.parseHex(text); // not hex: let HexFormat say where
      }
      out[i] = (byte) (high << 4 | low);
    }
    return out;
  }

  private static int value(char c) {
    return c < 128 ? VALUES[c] : -1;
  }
}
