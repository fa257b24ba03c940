package io.daemonset.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants in Pekko's Jackson serializer (events, snapshots, messages) written and read without
 * {@link java.time.format.DateTimeFormatter}: the text is the same as before ({@link Instant#toString()}, ISO-8601 in
 * UTC, the fraction in groups of three digits), only cheaper. In a write-bound run (bench journal) the formatter took a
 * fifth of the process's CPU samples: every event carries a few instants, and the view reads each event back.
 * Anything this does not recognise (another offset, a number, years beyond 9999) goes to jackson-datatype-jsr310's
 * own deserializer, so every event written before still replays.
 */
public final class InstantTextModule extends SimpleModule {
  public InstantTextModule() {
    super("daemonset-instant-text");
    // Modifiers rather than serializers: Jackson asks the serializers of the module registered last first, and Pekko
    // registers the modules of our config before its own (JavaTimeModule among them); modifiers apply to whatever
    // serializer was found, whatever the order.
    setSerializerModifier(new BeanSerializerModifier() {
      @Override
      public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description,
                                                JsonSerializer<?> serializer) {
        return description.getBeanClass() == Instant.class ? WRITER : serializer;
      }
    });
    setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                    JsonDeserializer<?> deserializer) {
        return description.getBeanClass() == Instant.class ? READER : deserializer;
      }
    });
  }

  static final JsonSerializer<Instant> WRITER = new Writer();
  static final JsonDeserializer<Instant> READER = new Reader();

  /** {@link Instant#toString()} for years 0000-9999, by hand. */
  static String format(Instant instant) {
    long seconds = instant.getEpochSecond();
    int nanos = instant.getNano();
    long days = Math.floorDiv(seconds, 86_400);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    if (days < -719_528 || days > 2_932_896) { // outside 0000-01-01 .. 9999-12-31
      return instant.toString();
    }
    LocalDate date = LocalDate.ofEpochDay(days);
    char[] out = new char[30];
    int p = digits(out, 0, date.getYear(), 4);
    out[p++] = '-';
    p = digits(out, p, date.getMonthValue(), 2);
    out[p++] = '-';
    p = digits(out, p, date.getDayOfMonth(), 2);
    out[p++] = 'T';
    p = digits(out, p, secondOfDay / 3600, 2);
    out[p++] = ':';
    p = digits(out, p, secondOfDay / 60 % 60, 2);
    out[p++] = ':';
    p = digits(out, p, secondOfDay % 60, 2);
    if (nanos > 0) {
      out[p++] = '.';
      if (nanos % 1_000_000 == 0) {
        p = digits(out, p, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        p = digits(out, p, nanos / 1_000, 6);
      } else {
        p = digits(out, p, nanos, 9);
      }
    }
    out[p++] = 'Z';
    return new String(out, 0, p);
  }

  private static int digits(char[] out, int at, int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      out[at + i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }

  /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null for any other text. */
  static Instant parse(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 7);
    int day = number(text, 8, 10);
    int hour = number(text, 11, 13);
    int minute = number(text, 14, 16);
    int second = number(text, 17, 19);
    int nanos = 0;
    if (n > 20) {
      if (text.charAt(19) != '.' || n == 21) {
        return null;
      }
      int fraction = number(text, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    } else if (text.charAt(19) != 'Z') {
      return null;
    }
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return null;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** The decimal number of text[from, to), or -1 if it holds anything but digits. */
  private static int number(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static final class Writer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(format(value));
    }

    @Override
    public Class<Instant> handledType() {
      return Instant.class;
    }
  }

  private static final class Reader extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        Instant fast = parse(p.getText());
        if (fast != null) {
          return fast;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }

    @Override
    public Class<?> handledType() {
      return Instant.class;
    }
  }
}
