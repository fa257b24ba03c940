package io.daemonset.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Instants in Pekko's Jackson serializer (events, snapshots, messages) written and read without
 * {@link java.time.format.DateTimeFormatter} ({@link Rfc3339}): the text is the same as before ({@link Instant#toString()}, ISO-8601 in
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
  static final int RECENT_SLOTS = 4096;
  /** Reads the usual shape by hand ({@link Rfc3339#parse}), every other input as jsr310 does. */
  public static final JsonDeserializer<Instant> READER = new Reader();

  private static final class Writer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      byte[] text = Rfc3339.formatBytes(value);
      if (text == null) {
        gen.writeString(value.toString());
      } else if (gen instanceof UTF8JsonGenerator) {
        // Pekko's serializer writes bytes: the ASCII text goes in as it is, without a String read back char by char
        gen.writeUTF8String(text, 0, text.length);
      } else {
        // other generators (a Writer's, a TokenBuffer's for valueToTree) do not take UTF-8 bytes
        gen.writeString(new String(text, StandardCharsets.ISO_8859_1));
      }
    }

    @Override
    public Class<Instant> handledType() {
      return Instant.class;
    }
  }

  private static final class Reader extends JsonDeserializer<Instant> {
    /**
     * Instants read lately, one per slot by value: a pod's conditions, start time and container start carry the same
     * few instants, and each pod is decoded several times in this JVM (the view, a hollow agent); 23 Instants per pod
     * were 4 % of a 50,000-pod benchmark's live heap (docs/performance.md, "mem9"). Lossy and fixed in size; racy on
     * purpose: Instant is immutable (final fields), so any slot's content is a valid instant or null.
     */
    private final Instant[] recent = new Instant[RECENT_SLOTS];

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.hasToken(JsonToken.VALUE_STRING)) {
        Instant fast = Rfc3339.parse(p.getText());
        if (fast != null) {
          return shared(fast);
        }
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }

    private Instant shared(Instant read) {
      int slot = read.hashCode() & (RECENT_SLOTS - 1);
      Instant kept = recent[slot];
      if (read.equals(kept)) {
        return kept;
      }
      recent[slot] = read;
      return read;
    }

    @Override
    public Class<?> handledType() {
      return Instant.class;
    }
  }
}
