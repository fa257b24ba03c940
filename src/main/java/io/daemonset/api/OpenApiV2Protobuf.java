package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The v2 document in the form kubectl asks for first ({@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}):
 * gnostic's {@code openapi.v2.Document} message (github.com/google/gnostic, openapiv2/OpenAPIv2.proto), written
 * field by field with protobuf-java's {@link CodedOutputStream}. Only the parts this API's document uses are
 * written: info, paths with their operations (query parameters, responses, vendor extensions) and definitions
 * (ref, format, description, type, items, properties, additionalProperties, enum, vendor extensions); gnostic keeps a
 * vendor extension's value as YAML text, as it does here.
 */
final class OpenApiV2Protobuf {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private OpenApiV2Protobuf() {}

  static byte[] encode(JsonNode doc) {
    Message out = new Message();
    out.string(1, doc.path("swagger").asText());
    out.message(2, new Message().string(1, doc.path("info").path("title").asText())
        .string(2, doc.path("info").path("version").asText()));
    Message paths = new Message();
    doc.path("paths").fields().forEachRemaining(p -> paths.message(2, new Message().string(1, p.getKey())
        .message(2, pathItem(p.getValue()))));
    out.message(8, paths);
    Message definitions = new Message();
    doc.path("definitions").fields().forEachRemaining(d -> definitions.message(1, named(d.getKey(),
        schema(d.getValue()))));
    out.message(9, definitions);
    return out.bytes().toByteArray();
  }

  private static Message pathItem(JsonNode item) {
    Message out = new Message();
    Map<String, Integer> fields = Map.of("get", 2, "put", 3, "post", 4, "delete", 5, "patch", 8);
    for (String method : new String[] {"get", "put", "post", "delete", "patch"}) {
      if (item.has(method)) {
        out.message(fields.get(method), operation(item.get(method)));
      }
    }
    return out;
  }

  private static Message operation(JsonNode op) {
    Message out = new Message();
    for (JsonNode p : op.path("parameters")) {
      Message query = new Message().string(2, p.path("in").asText()).string(4, p.path("name").asText())
          .string(6, p.path("type").asText("string")).bool(20, p.path("uniqueItems").asBoolean(false));
      out.message(8, new Message().message(1, new Message().message(2, new Message().message(3, query))));
    }
    Message responses = new Message();
    op.path("responses").fields().forEachRemaining(r -> responses.message(1, new Message().string(1, r.getKey())
        .message(2, new Message().message(1, new Message().string(1, r.getValue().path("description").asText())))));
    out.message(9, responses);
    extensions(op, 13, out);
    return out;
  }

  private static Message schema(JsonNode s) {
    Message out = new Message();
    out.string(1, s.path("$ref").asText(""));
    out.string(2, s.path("format").asText(""));
    out.string(4, s.path("description").asText(""));
    for (JsonNode value : s.path("enum")) {
      out.message(20, any(value));
    }
    if (s.path("additionalProperties").isObject()) {
      out.message(21, new Message().message(1, schema(s.get("additionalProperties"))));
    }
    if (s.has("type")) {
      out.message(22, new Message().string(1, s.get("type").asText()));
    }
    if (s.path("items").isObject()) {
      out.message(23, new Message().message(1, schema(s.get("items"))));
    }
    if (s.path("properties").isObject()) {
      Message properties = new Message();
      s.get("properties").fields().forEachRemaining(p -> properties.message(1, named(p.getKey(), schema(p.getValue()))));
      out.message(25, properties);
    }
    extensions(s, 31, out);
    return out;
  }

  private static Message named(String name, Message value) {
    return new Message().string(1, name).message(2, value);
  }

  private static void extensions(JsonNode node, int field, Message out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (e.getKey().startsWith("x-")) {
        out.message(field, new Message().string(1, e.getKey()).message(2, any(e.getValue())));
      }
    }
  }

  /** gnostic's Any: the value as YAML text (field 2). */
  private static Message any(JsonNode value) {
    try {
      return new Message().string(2, YAML.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A message being written: its fields in order, each written as protobuf writes it. */
  private static final class Message {
    private final ByteString.Output buffer = ByteString.newOutput();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    Message string(int field, String value) {
      if (value != null && !value.isEmpty()) {
        write(() -> out.writeString(field, value));
      }
      return this;
    }

    Message bool(int field, boolean value) {
      if (value) {
        write(() -> out.writeBool(field, true));
      }
      return this;
    }

    Message message(int field, Message value) {
      write(() -> out.writeBytes(field, value.bytes()));
      return this;
    }

    ByteString bytes() {
      write(out::flush);
      return buffer.toByteString();
    }

    private void write(IoStep step) {
      try {
        step.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @FunctionalInterface
  private interface IoStep {
    void run() throws IOException;
  }
}
