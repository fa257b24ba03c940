package io.daemonset.view;

/** An object as the view serves it: typed, with its resourceVersion already written into its metadata. */
public record StoredObject(String resource, String namespace, String name, Object object, long resourceVersion) {

  public String key() {
    return namespace == null ? name : namespace + "/" + name;
  }
}
