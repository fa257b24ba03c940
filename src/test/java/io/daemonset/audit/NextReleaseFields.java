package io.daemonset.audit;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A value as the next release writes it: a field this release does not know added to it and to every record it
 * holds (a Node's status, a pod's container, a cause...; not to maps, whose keys are data), following the type
 * Jackson reads it as. Shared by the golden journals' and the single fixtures' next-release tests.
 */
final class NextReleaseFields {
  static final String ADDED = "addedByTheNextRelease";

  private NextReleaseFields() {}

  /** The node with ADDED in it and in every record it holds; {@code added} counts the fields added. */
  static JsonNode widen(ObjectMapper mapper, JsonNode node, JavaType type, AtomicInteger added) {
    if (node.isArray() && type.getContentType() != null && (type.isCollectionLikeType() || type.isArrayType())) {
      ArrayNode copy = mapper.createArrayNode();
      node.forEach(item -> copy.add(widen(mapper, item, type.getContentType(), added)));
      return copy;
    }
    if (type.isReferenceType()) { // Optional<T>
      return widen(mapper, node, type.getContentType(), added);
    }
    Class<?> raw = type.getRawClass();
    if (!node.isObject() || type.isContainerType() || raw.isEnum() || raw.isInterface()
        || java.lang.reflect.Modifier.isAbstract(raw.getModifiers()) || !raw.getName().startsWith("io.daemonset.")) {
      return node; // scalars, maps (keys are data), free-form JsonNode, polymorphic types, other libraries' types
    }
    ObjectNode copy = ((ObjectNode) node).deepCopy();
    DeserializationConfig config = mapper.getDeserializationConfig();
    for (BeanPropertyDefinition property : config.introspect(type).findProperties()) {
      JsonNode child = copy.get(property.getName());
      if (child != null && !child.isNull()) {
        copy.set(property.getName(), widen(mapper, child, property.getPrimaryType(), added));
      }
    }
    copy.put(ADDED, "a field this release does not know");
    added.incrementAndGet();
    return copy;
  }

  /** A payload as JSON (Pekko's Jackson serializer gzips large ones). */
  static JsonNode json(ObjectMapper mapper, byte[] payload) throws IOException {
    boolean gzip = payload.length > 2 && (payload[0] & 0xff) == 0x1f && (payload[1] & 0xff) == 0x8b;
    try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(payload))
        : new ByteArrayInputStream(payload)) {
      return mapper.readTree(in);
    }
  }
}
