package io.daemonset.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field that an event changed, as a dotted path into the API object ("metadata.labels.ssd"); from or to is
 * null when the field was absent on that side.
 */
public record FieldChange(String path, JsonNode from, JsonNode to) {

  /** "metadata.labels.ssd: true → <none>", values cut to a readable length. */
  public String describe() {
    return path + ": " + show(from) + " → " + show(to);
  }

  private static String show(JsonNode value) {
    if (value == null) {
      return "<none>";
    }
    String text = value.isTextual() ? value.textValue() : value.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
