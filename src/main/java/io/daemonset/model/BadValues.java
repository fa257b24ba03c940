package io.daemonset.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * How kube-apiserver prints a bad value in a field error: numbers and booleans plain, strings Go-quoted (%q), null as
 * null, anything else as Go's json.Marshal would (compact, map keys sorted, empty fields omitted, HTML escaped).
 */
final class BadValues {
  private static final ObjectMapper GO_JSON = Json.mapper().copy()
      // omitempty drops empty fields of structs, never entries of maps: {"tier":""} stays
      .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY,
          JsonInclude.Include.ALWAYS))
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  static {
    GO_JSON.getFactory().setCharacterEscapes(new GoHtmlEscapes());
  }

  private BadValues() {}

  static String render(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof String s) {
      return quote(s);
    }
    if (value instanceof Quantity q) {
      return quote(q.canonical());
    }
    try {
      return GO_JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** Go's strconv.Quote: double quotes, backslash escapes for quotes, backslashes and control characters. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", c));
          } else {
            b.appendCodePoint(c);
          }
        }
      }
    });
    return b.append('"').toString();
  }

  /** Go's encoder escapes <, > and & as \\u003c, \\u003e and \\u0026. */
  private static final class GoHtmlEscapes extends CharacterEscapes {
    private final int[] escapes = standardAsciiEscapesForJSON();

    GoHtmlEscapes() {
      escapes['<'] = ESCAPE_CUSTOM;
      escapes['>'] = ESCAPE_CUSTOM;
      escapes['&'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
      return new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04x", ch)); // lower case, as Go
    }
  }
}
