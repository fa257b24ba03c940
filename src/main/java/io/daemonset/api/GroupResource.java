package io.daemonset.api;

/** An API group and a resource (plural) name: the qualifier upstream uses in error messages. */
public record GroupResource(String group, String resource) {

  public GroupResource {
    group = group == null ? "" : group;
    resource = resource == null ? "" : resource;
  }

  public static final GroupResource DAEMONSETS = new GroupResource("apps", "daemonsets");
  public static final GroupResource CONTROLLER_REVISIONS = new GroupResource("apps", "controllerrevisions");
  public static final GroupResource NODES = new GroupResource("", "nodes");
  public static final GroupResource PODS = new GroupResource("", "pods");
  public static final GroupResource EVENTS = new GroupResource("", "events");

  public boolean isEmpty() {
    return group.isEmpty() && resource.isEmpty();
  }

  /** "daemonsets.apps", "nodes". */
  @Override
  public String toString() {
    return group.isEmpty() ? resource : resource + "." + group;
  }
}
