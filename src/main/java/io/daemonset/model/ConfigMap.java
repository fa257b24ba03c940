package io.daemonset.model;

import java.util.Map;

/** A v1 ConfigMap: UTF-8 data and base64 binaryData, keys unique across both; immutable once marked so. */
public record ConfigMap(String apiVersion, String kind, ObjectMeta metadata, Map<String, String> data,
                        Map<String, String> binaryData, Boolean immutable) implements PlainObject {
  public static final String KIND = "ConfigMap";

  @Override
  public ConfigMap withMetadata(ObjectMeta value) {
    return new ConfigMap(apiVersion, kind, value, data, binaryData, immutable);
  }

  public Map<String, String> dataOrEmpty() {
    return data == null ? Map.of() : data;
  }

  public Map<String, String> binaryDataOrEmpty() {
    return binaryData == null ? Map.of() : binaryData;
  }
}
