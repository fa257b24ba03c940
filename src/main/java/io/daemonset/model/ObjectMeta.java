package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes ObjectMeta: what every stored object carries. Null means "not set", as in the API.
 * <p>Its {@code with…} copies come from the generated {@code ObjectMetaBuilder.With} (record-builder).
 */
@RecordBuilder
public record ObjectMeta(
    String name,
    String generateName,
    String namespace,
    String uid,
    Long generation,
    String resourceVersion,
    Instant creationTimestamp,
    Instant deletionTimestamp,
    Long deletionGracePeriodSeconds,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<OwnerReference> ownerReferences,
    List<String> finalizers,
    List<JsonNode> managedFields) implements ObjectMetaBuilder.With {

  public static ObjectMeta named(String namespace, String name) {
    return new ObjectMeta(name, null, namespace, null, null, null, null, null, null, null, null, null, null, null);
  }

  public Map<String, String> labelsOrEmpty() {
    return labels == null ? Map.of() : labels;
  }

  public Map<String, String> annotationsOrEmpty() {
    return annotations == null ? Map.of() : annotations;
  }

  public List<OwnerReference> ownerReferencesOrEmpty() {
    return ownerReferences == null ? List.of() : ownerReferences;
  }
}
