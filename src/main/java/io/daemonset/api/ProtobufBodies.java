package io.daemonset.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Request bodies in Kubernetes' protobuf encoding, for the plain objects: kubectl's typed clients ({@code kubectl
 * create namespace|configmap|secret|serviceaccount}) send {@code application/vnd.kubernetes.protobuf}. The envelope
 * is the magic {@code k8s\0} and a runtime.Unknown (typeMeta, raw); raw is the object, decoded here into the JSON
 * the routes decode as any other body, with the field numbers of k8s.io/api core/v1 generated.proto. Unknown
 * fields are skipped (as a JSON body's are under fieldValidation=Ignore).
 */
final class ProtobufBodies {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ProtobufBodies() {}

  private enum Type { STRING, INT, BOOL, BYTES_BASE64, TIME, MESSAGE, MAP_STRING, MAP_BYTES, STRINGS, MESSAGES }

  private record Field(String name, Type type, Map<Integer, Field> message) {
    static Field of(String name, Type type) {
      return new Field(name, type, Map.of());
    }

    static Field of(String name, Type type, Map<Integer, Field> message) {
      return new Field(name, type, message);
    }
  }

  private static final Map<Integer, Field> OWNER_REFERENCE = Map.of(1, Field.of("kind", Type.STRING),
      3, Field.of("name", Type.STRING), 4, Field.of("uid", Type.STRING), 5, Field.of("apiVersion", Type.STRING),
      6, Field.of("controller", Type.BOOL), 7, Field.of("blockOwnerDeletion", Type.BOOL));
  private static final Map<Integer, Field> OBJECT_META = Map.ofEntries(Map.entry(1, Field.of("name", Type.STRING)),
      Map.entry(2, Field.of("generateName", Type.STRING)), Map.entry(3, Field.of("namespace", Type.STRING)),
      Map.entry(5, Field.of("uid", Type.STRING)), Map.entry(6, Field.of("resourceVersion", Type.STRING)),
      Map.entry(7, Field.of("generation", Type.INT)), Map.entry(8, Field.of("creationTimestamp", Type.TIME)),
      Map.entry(11, Field.of("labels", Type.MAP_STRING)), Map.entry(12, Field.of("annotations", Type.MAP_STRING)),
      Map.entry(13, Field.of("ownerReferences", Type.MESSAGES, OWNER_REFERENCE)),
      Map.entry(14, Field.of("finalizers", Type.STRINGS)));
  private static final Field METADATA = Field.of("metadata", Type.MESSAGE, OBJECT_META);
  private static final Map<Integer, Field> OBJECT_REFERENCE = Map.of(1, Field.of("kind", Type.STRING),
      2, Field.of("namespace", Type.STRING), 3, Field.of("name", Type.STRING), 4, Field.of("uid", Type.STRING),
      5, Field.of("apiVersion", Type.STRING), 6, Field.of("resourceVersion", Type.STRING),
      7, Field.of("fieldPath", Type.STRING));

  private static final Map<String, Map<Integer, Field>> KINDS = Map.of(
      "ConfigMap", Map.of(1, METADATA, 2, Field.of("data", Type.MAP_STRING),
          3, Field.of("binaryData", Type.MAP_BYTES), 4, Field.of("immutable", Type.BOOL)),
      "Secret", Map.of(1, METADATA, 2, Field.of("data", Type.MAP_BYTES), 3, Field.of("type", Type.STRING),
          4, Field.of("stringData", Type.MAP_STRING), 5, Field.of("immutable", Type.BOOL)),
      "Namespace", Map.of(1, METADATA, 2, Field.of("spec", Type.MESSAGE, Map.of(1, Field.of("finalizers",
          Type.STRINGS))), 3, Field.of("status", Type.MESSAGE, Map.of(1, Field.of("phase", Type.STRING)))),
      "ServiceAccount", Map.of(1, METADATA, 2, Field.of("secrets", Type.MESSAGES, OBJECT_REFERENCE),
          3, Field.of("imagePullSecrets", Type.MESSAGES, Map.of(1, Field.of("name", Type.STRING))),
          4, Field.of("automountServiceAccountToken", Type.BOOL)));

  /** The body as a JSON object; 400 when it is not a protobuf envelope of the expected kind. */
  static ObjectNode toJson(byte[] body, String expectedKind) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw ApiException.badRequest("the protobuf body does not start with the Kubernetes magic number");
    }
    Map<Integer, Field> schema = KINDS.get(expectedKind);
    if (schema == null) {
      throw ApiException.unsupportedMediaType(MEDIA_TYPE, Bodies.OBJECT_MEDIA_TYPES);
    }
    try {
      Reader envelope = new Reader(body, MAGIC.length, body.length);
      String apiVersion = "";
      String kind = "";
      ObjectNode object = null;
      while (envelope.more()) {
        int tag = envelope.varint32();
        if (tag >>> 3 == 1 && (tag & 7) == 2) {
          Reader typeMeta = envelope.nested();
          while (typeMeta.more()) {
            int t = typeMeta.varint32();
            if (t >>> 3 == 1 && (t & 7) == 2) {
              apiVersion = typeMeta.string();
            } else if (t >>> 3 == 2 && (t & 7) == 2) {
              kind = typeMeta.string();
            } else {
              typeMeta.skip(t & 7);
            }
          }
        } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
          object = message(envelope.nested(), schema);
        } else {
          envelope.skip(tag & 7);
        }
      }
      ObjectNode out = F.objectNode();
      out.put("apiVersion", apiVersion.isEmpty() ? "v1" : apiVersion);
      out.put("kind", kind.isEmpty() ? expectedKind : kind);
      if (object != null) {
        out.setAll(object);
      }
      return out;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw ApiException.badRequest("malformed protobuf body: " + e.getMessage());
    }
  }

  private static ObjectNode message(Reader in, Map<Integer, Field> schema) {
    ObjectNode out = F.objectNode();
    while (in.more()) {
      int tag = in.varint32();
      Field field = schema.get(tag >>> 3);
      if (field == null) {
        in.skip(tag & 7);
        continue;
      }
      switch (field.type()) {
        // Go writes every non-pointer field, empty or not; JSON omits them (omitempty), and so does this
        case STRING -> putUnlessEmpty(out, field.name(), in.string());
        case INT -> {
          long value = in.varint();
          if (value != 0) {
            out.put(field.name(), value);
          }
        }
        case BOOL -> out.put(field.name(), in.varint() != 0);
        case BYTES_BASE64 -> out.put(field.name(), Base64.getEncoder().encodeToString(in.bytes()));
        case TIME -> putUnlessEmpty(out, field.name(), time(in.nested()));
        case MESSAGE -> out.set(field.name(), message(in.nested(), field.message()));
        case STRINGS -> out.withArray(field.name()).add(in.string());
        case MESSAGES -> ((ArrayNode) out.withArray(field.name())).add(message(in.nested(), field.message()));
        case MAP_STRING, MAP_BYTES -> mapEntry(in.nested(), out.with(field.name()), field.type() == Type.MAP_BYTES);
        default -> in.skip(tag & 7);
      }
    }
    return out;
  }

  private static void putUnlessEmpty(ObjectNode out, String name, String value) {
    if (!value.isEmpty()) {
      out.put(name, value);
    }
  }

  private static void mapEntry(Reader entry, ObjectNode map, boolean bytes) {
    String key = "";
    String value = "";
    while (entry.more()) {
      int tag = entry.varint32();
      if (tag >>> 3 == 1) {
        key = entry.string();
      } else if (tag >>> 3 == 2) {
        value = bytes ? Base64.getEncoder().encodeToString(entry.bytes()) : entry.string();
      } else {
        entry.skip(tag & 7);
      }
    }
    map.put(key, value);
  }

  private static String time(Reader in) {
    long seconds = 0;
    while (in.more()) {
      int tag = in.varint32();
      if (tag >>> 3 == 1) {
        seconds = in.varint();
      } else {
        in.skip(tag & 7);
      }
    }
    return seconds == 0 ? "" : Instant.ofEpochSecond(seconds).toString();
  }

  /** A protobuf wire-format reader over buf[pos, end). */
  private static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf, int pos, int end) {
      this.buf = buf;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new IllegalArgumentException("truncated varint");
        }
        byte b = buf[pos++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    int varint32() {
      return (int) varint();
    }

    byte[] bytes() {
      int length = varint32();
      if (length < 0 || pos + length > end) {
        throw new IllegalArgumentException("length beyond the message");
      }
      byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
      pos += length;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Reader nested() {
      int length = varint32();
      if (length < 0 || pos + length > end) {
        throw new IllegalArgumentException("length beyond the message");
      }
      Reader nested = new Reader(buf, pos, pos + length);
      pos += length;
      return nested;
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> {
          int length = varint32(); // read first: "pos += varint32()" would add to the position before the length
          pos += length;
        }
        case 5 -> pos += 4;
        default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
      }
      if (pos > end) {
        throw new IllegalArgumentException("field beyond the message");
      }
    }
  }
}
