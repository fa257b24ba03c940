package io.daemonset.model;

import java.util.Map;

/**
 * A v1 Secret: data values are base64 (as on the wire); stringData is write-only, folded into data on every write
 * (upstream's conversion), so it is never stored nor served.
 */
public record Secret(String apiVersion, String kind, ObjectMeta metadata, Map<String, String> data,
                     Map<String, String> stringData, String type, Boolean immutable) implements PlainObject {
  public static final String KIND = "Secret";
  public static final String OPAQUE = "Opaque";

  @Override
  public Secret withMetadata(ObjectMeta value) {
    return new Secret(apiVersion, kind, value, data, stringData, type, immutable);
  }

  public Secret withData(Map<String, String> value) {
    return new Secret(apiVersion, kind, metadata, value, stringData, type, immutable);
  }

  public Map<String, String> dataOrEmpty() {
    return data == null ? Map.of() : data;
  }
}
