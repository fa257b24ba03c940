package io.daemonset.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A set of field paths, as structured-merge-diff's fieldpath.Set, with its FieldsV1 form. A path is a list of
 * elements written as in FieldsV1: {@code f:<field>}, {@code k:<json of the key fields>} for an item of a keyed
 * list, {@code v:<json value>} for an item of a set, {@code i:<index>}. The set holds members only (a leaf,
 * a list item, an empty map, an atomic list); FieldsV1 nests them, writing {@code ".": {}} where a member also
 * has children: {@code {"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:image":{}}}}}}.
 */
public final class FieldSet {
  private static final FieldSet EMPTY = new FieldSet(Set.of());

  private final Set<List<String>> paths;

  private FieldSet(Set<List<String>> paths) {
    this.paths = paths;
  }

  public static FieldSet empty() {
    return EMPTY;
  }

  public static FieldSet of(Collection<List<String>> paths) {
    return paths.isEmpty() ? EMPTY : new FieldSet(Set.copyOf(paths));
  }

  public Set<List<String>> paths() {
    return paths;
  }

  public boolean isEmpty() {
    return paths.isEmpty();
  }

  public boolean contains(List<String> path) {
    return paths.contains(path);
  }

  public FieldSet union(FieldSet other) {
    Set<List<String>> out = new HashSet<>(paths);
    out.addAll(other.paths);
    return of(out);
  }

  public FieldSet minus(FieldSet other) {
    return filter(p -> !other.paths.contains(p));
  }

  public FieldSet intersect(FieldSet other) {
    return filter(other.paths::contains);
  }

  public FieldSet filter(Predicate<List<String>> keep) {
    return of(paths.stream().filter(keep).toList());
  }

  /**
   * This set plus every field ({@code f:}) that leads to one of its paths, as fieldpath.Set's
   * EnsureNamedFieldsAreMembers: pruning may then remove a whole map nobody else claims.
   */
  FieldSet withFieldAncestors() {
    Set<List<String>> out = new HashSet<>(paths);
    for (List<String> path : paths) {
      for (int n = 1; n < path.size(); n++) {
        if (path.get(n - 1).startsWith("f:")) {
          out.add(path.subList(0, n));
        }
      }
    }
    return of(out);
  }

  /** The FieldsV1 JSON object of this set. */
  public ObjectNode toFieldsV1() {
    Tree root = new Tree();
    for (List<String> path : paths) {
      Tree at = root;
      for (String element : path) {
        at = at.children.computeIfAbsent(element, e -> new Tree());
      }
      at.member = true;
    }
    return root.write();
  }

  /** The set a FieldsV1 object describes; refuses keys that are no path element. */
  public static FieldSet fromFieldsV1(JsonNode fieldsV1) {
    if (fieldsV1 == null || !fieldsV1.isObject()) {
      throw new IllegalArgumentException("FieldsV1 must be a JSON object");
    }
    List<List<String>> out = new ArrayList<>();
    read(fieldsV1, new ArrayList<>(), out);
    return of(out);
  }

  private static void read(JsonNode node, List<String> at, List<List<String>> out) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().equals(".")) {
        out.add(List.copyOf(at));
        continue;
      }
      if (!e.getKey().matches("[fkvi]:.*") || !e.getValue().isObject()) {
        throw new IllegalArgumentException("unexpected FieldsV1 key " + e.getKey());
      }
      at.add(e.getKey());
      if (e.getValue().isEmpty()) {
        out.add(List.copyOf(at));
      } else {
        read(e.getValue(), at, out);
      }
      at.remove(at.size() - 1);
    }
  }

  /** A path as kube-apiserver prints it in a conflict: {@code .spec.containers[name="nginx"].image}. */
  public static String describe(List<String> path) {
    StringBuilder sb = new StringBuilder();
    for (String element : path) {
      String value = element.substring(2);
      switch (element.charAt(0)) {
        case 'f' -> sb.append('.').append(value);
        case 'v' -> sb.append("[=").append(value).append(']');
        case 'i' -> sb.append('[').append(value).append(']');
        default -> {
          List<String> keys = new ArrayList<>();
          Nodes.parse(value).properties().forEach(k -> keys.add(k.getKey() + "=" + k.getValue()));
          sb.append('[').append(String.join(",", keys)).append(']');
        }
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet other && paths.equals(other.paths);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  @Override
  public String toString() {
    return toFieldsV1().toString();
  }

  private static final class Tree {
    boolean member;
    final TreeMap<String, Tree> children = new TreeMap<>();

    ObjectNode write() {
      ObjectNode out = Nodes.object();
      if (member && !children.isEmpty()) {
        out.putObject(".");
      }
      children.forEach((k, child) -> out.set(k, child.write()));
      return out;
    }
  }
}
