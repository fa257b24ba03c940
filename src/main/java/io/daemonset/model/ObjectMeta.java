package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Kubernetes ObjectMeta: what every stored object carries. Null means "not set", as in the API. */
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
    List<JsonNode> managedFields) {

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

  public ObjectMeta withName(String value) {
    return new ObjectMeta(value, generateName, namespace, uid, generation, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withNamespace(String value) {
    return new ObjectMeta(name, generateName, value, uid, generation, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withUid(String value) {
    return new ObjectMeta(name, generateName, namespace, value, generation, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withGeneration(Long value) {
    return new ObjectMeta(name, generateName, namespace, uid, value, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withResourceVersion(String value) {
    return new ObjectMeta(name, generateName, namespace, uid, generation, value, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withCreationTimestamp(Instant value) {
    return new ObjectMeta(name, generateName, namespace, uid, generation, resourceVersion, value,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withDeletionTimestamp(Instant value) {
    return new ObjectMeta(name, generateName, namespace, uid, generation, resourceVersion, creationTimestamp,
        value, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withLabels(Map<String, String> value) {
    return new ObjectMeta(name, generateName, namespace, uid, generation, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, value, annotations, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withAnnotations(Map<String, String> value) {
    return new ObjectMeta(name, generateName, namespace, uid, generation, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, value, ownerReferences, finalizers, managedFields);
  }

  public ObjectMeta withOwnerReferences(List<OwnerReference> value) {
    return new ObjectMeta(name, generateName, namespace, uid, generation, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, value, finalizers, managedFields);
  }

  public ObjectMeta withFinalizers(List<String> value) {
    return new ObjectMeta(name, generateName, namespace, uid, generation, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, value, managedFields);
  }

  public ObjectMeta withManagedFields(List<JsonNode> value) {
    return new ObjectMeta(name, generateName, namespace, uid, generation, resourceVersion, creationTimestamp,
        deletionTimestamp, deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, value);
  }
}
