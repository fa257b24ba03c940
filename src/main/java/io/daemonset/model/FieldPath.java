package io.daemonset.model;

/**
 * A field path as upstream's field.Path prints it: "spec.template.spec.containers[0].resources.limits[cpu]".
 * Immutable; every step returns a new path.
 */
public record FieldPath(String path) {

  public static final FieldPath ROOT = new FieldPath("");

  public static FieldPath of(String first, String... more) {
    return ROOT.child(first, more);
  }

  public FieldPath child(String name, String... more) {
    String p = path.isEmpty() ? name : path + "." + name;
    for (String m : more) {
      p = p + "." + m;
    }
    return new FieldPath(p);
  }

  public FieldPath index(int i) {
    return new FieldPath(path + "[" + i + "]");
  }

  /** A map key, written in brackets as upstream does (limits[cpu], labels[app]). */
  public FieldPath key(String k) {
    return new FieldPath(path + "[" + k + "]");
  }

  @Override
  public String toString() {
    return path;
  }
}
