package io.daemonset.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.journal.EncryptionKeys;
import io.daemonset.journal.EncryptionKeys.Sealed;
import io.daemonset.model.Json;
import io.daemonset.model.PlainKind;
import java.nio.charset.StandardCharsets;

/**
 * Splits an object into what is stored in clear and what is sealed (a Secret's data), and joins them back. The
 * associated data of the ciphertext is the entity id, so a ciphertext only opens on the object it was written for.
 */
public final class ObjectSealing {
  private final EncryptionKeys keys;

  public ObjectSealing(EncryptionKeys keys) {
    this.keys = keys;
  }

  /** The clear part and the sealed part of a full object. */
  public record Split(JsonNode clear, Sealed sealed) {}

  public Split split(String entityId, String resource, JsonNode full) {
    PlainKind kind = PlainKind.of(resource).orElseThrow();
    if (kind.sealedFields.isEmpty()) {
      return new Split(full, null);
    }
    ObjectNode clear = full.deepCopy();
    ObjectNode hidden = Json.mapper().createObjectNode();
    for (String field : kind.sealedFields) {
      JsonNode value = clear.remove(field);
      if (value != null && !value.isNull() && !(value.isObject() && value.isEmpty())) {
        hidden.set(field, value);
      }
    }
    if (hidden.isEmpty()) {
      return new Split(clear, null);
    }
    return new Split(clear, keys.seal(Json.write(hidden).getBytes(StandardCharsets.UTF_8), entityId));
  }

  /** The full object; throws IllegalStateException when the sealed part does not open with this keyring. */
  public JsonNode join(String entityId, JsonNode clear, Sealed sealed) {
    if (clear == null || sealed == null) {
      return clear;
    }
    ObjectNode full = clear.deepCopy();
    JsonNode hidden = Json.read(new String(keys.open(sealed, entityId), StandardCharsets.UTF_8), JsonNode.class);
    hidden.fields().forEachRemaining(e -> full.set(e.getKey(), e.getValue()));
    return full;
  }
}
