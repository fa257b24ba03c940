package io.daemonset.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import java.util.List;

/** One HTTP answer of the API: status code, body, its Warning headers and content type. */
public record Response(int code, String body, List<String> warnings, String contentType) {
  public JsonNode json() {
    return Json.read(body, JsonNode.class);
  }

  @Override
  public String toString() {
    return code + " " + body;
  }
}
