package io.daemonset.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The plain object kinds: plural resource, kind, record class, scope, and which top-level fields are sealed
 * (encrypted at rest) rather than stored in clear.
 */
public enum PlainKind {
  NAMESPACES("namespaces", Namespace.KIND, Namespace.class, false, List.of()),
  CONFIGMAPS("configmaps", ConfigMap.KIND, ConfigMap.class, true, List.of()),
  SECRETS("secrets", Secret.KIND, Secret.class, true, List.of("data", "stringData")),
  SERVICEACCOUNTS("serviceaccounts", ServiceAccount.KIND, ServiceAccount.class, true, List.of());

  public final String resource;
  public final String kind;
  public final Class<? extends PlainObject> type;
  public final boolean namespaced;
  public final List<String> sealedFields;

  PlainKind(String resource, String kind, Class<? extends PlainObject> type, boolean namespaced,
            List<String> sealedFields) {
    this.resource = resource;
    this.kind = kind;
    this.type = type;
    this.namespaced = namespaced;
    this.sealedFields = sealedFields;
  }

  public static Optional<PlainKind> of(String resource) {
    return Arrays.stream(values()).filter(k -> k.resource.equals(resource)).findFirst();
  }

  public static PlainKind of(PlainObject object) {
    return Arrays.stream(values()).filter(k -> k.type.isInstance(object)).findFirst().orElseThrow();
  }
}
