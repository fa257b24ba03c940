package io.daemonset.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.daemonset.journal.Rfc3339;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The one JSON and YAML mapping of API objects. Fields that are null are omitted (Go's omitempty), times are
 * RFC 3339 with second precision as metav1.Time writes them, and unknown fields are ignored here: strict
 * field validation is a separate, reporting pass (strict mode).
 */
public final class Json {
  // Helpers such as LabelSelector.isEmpty() or OwnerReference.isController() are not fields: without this Jackson
  // writes them as "empty": false or "rollingUpdate": false. Record components are found without getters.
  private static final ObjectMapper JSON = configure(JsonMapper.builder()
      .disable(MapperFeature.AUTO_DETECT_IS_GETTERS).build());
  private static final ObjectMapper YAML = configure(YAMLMapper.builder(
      YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          // a string such as resourceVersion "42" must stay a string when read back (by us or by kubectl)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build())
      .disable(MapperFeature.AUTO_DETECT_IS_GETTERS).build());

  private Json() {}

  public static ObjectMapper mapper() {
    return JSON;
  }

  public static ObjectMapper yamlMapper() {
    return YAML;
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    SimpleModule times = new SimpleModule("kubernetes-times");
    times.addSerializer(Instant.class, new JsonSerializer<>() {
      @Override
      public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeString(Rfc3339.formatSeconds(value));
      }
    });
    return mapper
        .registerModule(new Jdk8Module())
        .registerModule(new ParameterNamesModule())
        .registerModule(new JavaTimeModule())
        .registerModule(times)
        .registerModule(new FastInstants())
        .registerModule(new SharedStrings())
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        // Go's decoder leaves an absent or null int at zero, and upstream omits zero counters (omitempty), so
        // "status: {}" and kubectl's own output must read back as zeros rather than fail.
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /**
   * A free-form field (a JsonNode component) that JSON sets to null is absent, as Go's nil: records normalise it in
   * their constructors, so a null never reappears in output, hashes or revision data (Pekko's journal serializer
   * writes absent fields as null, which Jackson reads back as NullNode).
   */
  public static JsonNode absentIfNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link #write}, as UTF-8 bytes. */
  public static byte[] writeBytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String writeYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  public static <T> T convert(Object value, Class<T> type) {
    return JSON.convertValue(value, type);
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
