package io.daemonset.model;

import java.util.List;

/** A v1 ServiceAccount, stored and served (no token controller: pods get no token). */
public record ServiceAccount(String apiVersion, String kind, ObjectMeta metadata, List<ObjectReference> secrets,
                             List<LocalObjectReference> imagePullSecrets, Boolean automountServiceAccountToken)
    implements PlainObject {
  public static final String KIND = "ServiceAccount";

  public record LocalObjectReference(String name) {}

  @Override
  public ServiceAccount withMetadata(ObjectMeta value) {
    return new ServiceAccount(apiVersion, kind, value, secrets, imagePullSecrets, automountServiceAccountToken);
  }
}
