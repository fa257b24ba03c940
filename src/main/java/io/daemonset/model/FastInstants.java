package io.daemonset.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads times of the usual shape with {@link Rfc3339#parse} and leaves every other input (other shapes, numbers,
 * nulls, errors) to jsr310's {@link InstantDeserializer}, so what is accepted or refused, and the value read, are
 * unchanged. Registered after the JavaTimeModule in both mappers: the API's ({@link Json}) and the journal's
 * (serialization.conf, {@code jackson-modules}).
 */
public final class FastInstants extends SimpleModule {
  /** The reader, for a mapper that must install it otherwise (Pekko's: journal.InstantTextModule). */
  public static final com.fasterxml.jackson.databind.JsonDeserializer<Instant> READER = new Deserializer();

  public FastInstants() {
    super("daemonset-fast-instants");
    addDeserializer(Instant.class, READER);
  }

  static final class Deserializer extends StdScalarDeserializer<Instant> {
    Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.hasToken(JsonToken.VALUE_STRING)) {
        Instant fast = Rfc3339.parse(p.getText());
        if (fast != null) {
          return fast;
        }
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }
  }
}
