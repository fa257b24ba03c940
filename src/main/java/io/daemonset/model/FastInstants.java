package io.daemonset.model;

import com.fasterxml.jackson.databind.module.SimpleModule;
import io.daemonset.journal.InstantTextModule;
import java.time.Instant;

/**
 * Reads times of the usual shape with {@link io.daemonset.journal.Rfc3339#parse} and leaves every other input (other
 * shapes, numbers, nulls, errors) to jsr310's deserializer, so what is accepted or refused, and the value read, are
 * unchanged: the reader of {@link InstantTextModule}, in the API's mapper ({@link Json}), registered after its
 * JavaTimeModule (whose writer the API keeps: times to the second).
 */
public final class FastInstants extends SimpleModule {
  public FastInstants() {
    super("daemonset-fast-instants");
    addDeserializer(Instant.class, InstantTextModule.READER);
  }
}
