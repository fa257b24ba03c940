package io.daemonset.model;

/**
 * The core/v1 objects that are stored and served as they are, with no controller of their own beyond their
 * lifecycle: Namespace, ConfigMap, Secret, ServiceAccount. One generic entity keeps them all (io.daemonset.objects).
 */
public sealed interface PlainObject permits Namespace, ConfigMap, Secret, ServiceAccount {
  String apiVersion();

  String kind();

  ObjectMeta metadata();

  PlainObject withMetadata(ObjectMeta metadata);
}
