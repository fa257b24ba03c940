package io.daemonset.model;

/** Points from a dependent (a Pod, a ControllerRevision) to the object that owns it. */
public record OwnerReference(
    String apiVersion, String kind, String name, String uid, Boolean controller, Boolean blockOwnerDeletion) {

  public static OwnerReference controlledBy(String apiVersion, String kind, String name, String uid) {
    return new OwnerReference(apiVersion, kind, name, uid, true, true);
  }

  public boolean isController() {
    return Boolean.TRUE.equals(controller);
  }
}
