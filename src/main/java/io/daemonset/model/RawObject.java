package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.journal.JsonSerializable;

/** An object as JSON, in an entity's answer: the generic entity of plain objects does not know their classes. */
public record RawObject(JsonNode object) implements JsonSerializable {

  public <T> T as(Class<T> type) {
    return Json.convert(object, type);
  }
}
