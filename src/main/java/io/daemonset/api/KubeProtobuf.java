package io.daemonset.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.daemonset.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads the few request bodies kubectl's typed clients send as Kubernetes protobuf
 * ({@code application/vnd.kubernetes.protobuf}: the magic {@code k8s\0}, then a runtime.Unknown envelope whose raw
 * bytes are the object), into the JSON tree the JSON path would have read. Only the reviews need it: each message is
 * described by its field numbers (from k8s.io/api's generated.proto); unknown fields are skipped.
 */
final class KubeProtobuf {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  /** A message: field number to (JSON name, nested message or null for a string). */
  private record Message(Map<Integer, Field> fields) {}

  private record Field(String name, Message nested) {}

  private static final Message TYPE_META = new Message(Map.of(1, new Field("apiVersion", null),
      2, new Field("kind", null)));
  private static final Message OBJECT_META = new Message(Map.of(1, new Field("name", null),
      2, new Field("generateName", null), 3, new Field("namespace", null)));
  private static final Message RESOURCE_ATTRIBUTES = new Message(Map.of(1, new Field("namespace", null),
      2, new Field("verb", null), 3, new Field("group", null), 4, new Field("version", null),
      5, new Field("resource", null), 6, new Field("subresource", null), 7, new Field("name", null)));
  private static final Message NON_RESOURCE_ATTRIBUTES = new Message(Map.of(1, new Field("path", null),
      2, new Field("verb", null)));
  private static final Message ACCESS_SPEC = new Message(Map.of(1, new Field("resourceAttributes",
      RESOURCE_ATTRIBUTES), 2, new Field("nonResourceAttributes", NON_RESOURCE_ATTRIBUTES)));
  private static final Message RULES_SPEC = new Message(Map.of(1, new Field("namespace", null)));
  static final Message ACCESS_REVIEW = new Message(Map.of(1, new Field("metadata", OBJECT_META),
      2, new Field("spec", ACCESS_SPEC)));
  static final Message RULES_REVIEW = new Message(Map.of(1, new Field("metadata", OBJECT_META),
      2, new Field("spec", RULES_SPEC)));
  static final Message SELF_REVIEW = new Message(Map.of(1, new Field("metadata", OBJECT_META)));

  private KubeProtobuf() {}

  static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(MEDIA_TYPE);
  }

  /** The object in a k8s protobuf body, as JSON (with apiVersion and kind from the envelope). */
  static ObjectNode read(byte[] body, Message message) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw ApiException.badRequest("the body of the request is not Kubernetes protobuf (no k8s\\0 prefix)");
    }
    try {
      CodedInputStream envelope = CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length);
      ObjectNode typeMeta = Json.mapper().createObjectNode();
      byte[] raw = new byte[0];
      int tag;
      while ((tag = envelope.readTag()) != 0) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> typeMeta = decode(envelope.readByteArray(), TYPE_META);
          case 2 -> raw = envelope.readByteArray();
          default -> envelope.skipField(tag);
        }
      }
      ObjectNode object = decode(raw, message);
      object.setAll(typeMeta);
      return object;
    } catch (IOException | RuntimeException e) {
      throw ApiException.badRequest("the body of the request could not be decoded as Kubernetes protobuf: "
          + e.getMessage());
    }
  }

  private static ObjectNode decode(byte[] bytes, Message message) throws IOException {
    ObjectNode out = Json.mapper().createObjectNode();
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    int tag;
    while ((tag = in.readTag()) != 0) {
      Field field = message.fields().get(WireFormat.getTagFieldNumber(tag));
      if (field == null || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        in.skipField(tag);
      } else if (field.nested() == null) {
        out.put(field.name(), new String(in.readByteArray(), StandardCharsets.UTF_8));
      } else {
        out.set(field.name(), decode(in.readByteArray(), field.nested()));
      }
    }
    return out;
  }
}
