package io.daemonset.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Every string value read (a record's String component, a list's or a map's String values) is the JVM's canonical
 * instance of that text ({@link String#intern}), as Jackson already makes object keys: one pod is decoded several
 * times in this JVM (the view reads its events back from the journal, a hollow agent reads it from the API), and
 * thousands of pods repeat the same namespace, image, toleration keys, condition types and statuses. Each decoding
 * used to make its own strings: ~150 strings per pod, half of the live heap at 10,000 pods (docs/performance.md,
 * "mem9"). Interned strings are reclaimed like any other once nothing references them. Registered in the API's mapper
 * ({@link Json}) and in Pekko's (serialization.conf); values read are unchanged, only shared.
 */
public final class SharedStrings extends SimpleModule {
  /** Longer texts are rarely repeated and costly to hash; they stay the decoder's own. */
  static final int MAX_LENGTH = 256;

  public SharedStrings() {
    super("daemonset-shared-strings");
    addDeserializer(String.class, new Reader());
  }

  /** The canonical instance of short texts, the text itself otherwise (null stays null). */
  public static String share(String text) {
    return text == null || text.length() > MAX_LENGTH ? text : text.intern();
  }

  /** Jackson's own reading of a string (coercions, errors and all), then shared. */
  private static final class Reader extends StringDeserializer {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return share(super.deserialize(p, ctxt));
    }
  }
}
