package io.daemonset.placement;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A field selector ({@code metadata.name=x,spec.nodeName!=y}), a port of upstream's {@code fields.ParseSelector}:
 * terms are split on unescaped commas, each term on its first {@code !=}, {@code ==} or {@code =}, and values may
 * escape {@code \} {@code ,} {@code =} with a backslash. There is no trimming: whitespace is part of the field or
 * value, as upstream. A field that an object does not have reads as the empty string.
 *
 * <p>Invariant: terms are sorted by their source text (upstream sorts before parsing), so equal queries print equal.
 * Which fields a resource supports is the API's decision; {@link #fieldNames()} says which ones this selector uses.
 */
public record FieldSelector(List<Term> terms) {

  /** One term: {@code field=value} or, when {@code negated}, {@code field!=value}; the value is unescaped. */
  public record Term(String field, String value, boolean negated) {
    boolean matches(Map<String, String> fields) {
      String actual = fields.getOrDefault(field, "");
      return negated != actual.equals(value);
    }

    @Override
    public String toString() {
      return field + (negated ? "!=" : "=") + escape(value);
    }
  }

  private static final List<String> OPERATORS = List.of("!=", "==", "=");

  public FieldSelector {
    terms = List.copyOf(terms);
  }

  /** @throws SelectorParseException for a term without an operator or a bad escape, naming the term */
  public static FieldSelector parse(String query) {
    List<String> parts = splitTerms(query == null ? "" : query);
    Collections.sort(parts);
    List<Term> terms = new ArrayList<>();
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      int position = query.indexOf(part);
      Term term = splitTerm(part, position);
      if (term == null) {
        throw new SelectorParseException("invalid selector: '" + query + "'; can't understand '" + part + "'", position);
      }
      terms.add(term);
    }
    return new FieldSelector(terms);
  }

  public static FieldSelector everything() {
    return new FieldSelector(List.of());
  }

  public boolean matches(Map<String, String> fields) {
    Map<String, String> set = fields == null ? Map.of() : fields;
    return terms.stream().allMatch(t -> t.matches(set));
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /** The fields this selector tests, in order, so the API can reject fields its resource does not support. */
  public Set<String> fieldNames() {
    return terms.stream().map(Term::field).collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * The value a matching object must have in this field, when the selector pins it with {@code =}; e.g. an agent's
   * watch on {@code spec.nodeName=n1} can be served from a per-node index (upstream {@code RequiresExactMatch}).
   */
  public Optional<String> requiresExactMatch(String field) {
    return terms.stream().filter(t -> !t.negated() && t.field().equals(field)).map(Term::value).findFirst();
  }

  @Override
  public String toString() {
    return terms.stream().map(Term::toString).collect(Collectors.joining(","));
  }

  /** Upstream's selectable fields of a Pod (those the model carries), for {@code kubectl get pods --field-selector}. */
  public static Map<String, String> podFields(Pod pod) {
    Map<String, String> f = metaFields(pod.metadata(), true);
    PodSpec spec = pod.spec();
    PodStatus status = pod.status();
    f.put("spec.nodeName", spec == null ? "" : orEmpty(spec.nodeName()));
    f.put("spec.restartPolicy", spec == null ? "" : orEmpty(spec.restartPolicy()));
    f.put("spec.schedulerName", spec == null ? "" : orEmpty(spec.schedulerName()));
    f.put("spec.serviceAccountName", spec == null ? "" : orEmpty(spec.serviceAccountName()));
    f.put("spec.hostNetwork", String.valueOf(spec != null && spec.usesHostNetwork()));
    f.put("status.phase", status == null ? "" : orEmpty(status.phase()));
    f.put("status.podIP", status == null ? "" : orEmpty(status.podIP()));
    f.put("status.nominatedNodeName", "");
    return Collections.unmodifiableMap(f);
  }

  /** Upstream's selectable fields of a Node: {@code metadata.name} and {@code spec.unschedulable}. */
  public static Map<String, String> nodeFields(Node node) {
    Map<String, String> f = metaFields(node.metadata(), false);
    f.put("spec.unschedulable", String.valueOf(node.spec() != null && node.spec().isUnschedulable()));
    return Collections.unmodifiableMap(f);
  }

  /** Upstream's selectable fields of a DaemonSet: {@code metadata.name} and {@code metadata.namespace}. */
  public static Map<String, String> daemonSetFields(DaemonSet ds) {
    return Collections.unmodifiableMap(metaFields(ds.metadata(), true));
  }

  private static Map<String, String> metaFields(ObjectMeta meta, boolean namespaced) {
    Map<String, String> f = new TreeMap<>();
    f.put("metadata.name", meta == null ? "" : orEmpty(meta.name()));
    if (namespaced) {
      f.put("metadata.namespace", meta == null ? "" : orEmpty(meta.namespace()));
    }
    return f;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  // Backslash-escaped commas are data, not separators; the backslash stays for unescaping later.
  static List<String> splitTerms(String query) {
    List<String> terms = new ArrayList<>();
    if (query.isEmpty()) {
      return terms;
    }
    int start = 0;
    boolean inSlash = false;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (inSlash) {
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',') {
        terms.add(query.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(query.substring(start));
    return terms;
  }

  // The field cannot be escaped, so the first operator found splits the term; "!=" and "==" win over "=".
  private static Term splitTerm(String part, int position) {
    for (int i = 0; i < part.length(); i++) {
      for (String op : OPERATORS) {
        if (part.startsWith(op, i)) {
          String value = unescape(part.substring(i + op.length()), position + i + op.length());
          return new Term(part.substring(0, i), value, op.equals("!="));
        }
      }
    }
    return null;
  }

  static String unescape(String s, int position) {
    StringBuilder out = new StringBuilder(s.length());
    boolean inSlash = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inSlash) {
        if (c != '\\' && c != ',' && c != '=') {
          throw new SelectorParseException("invalid field selector: invalid escape sequence: \\" + c, position + i - 1);
        }
        out.append(c);
        inSlash = false;
      } else if (c == '\\') {
        inSlash = true;
      } else if (c == ',' || c == '=') {
        throw new SelectorParseException("invalid field selector: unescaped character in value: " + c, position + i);
      } else {
        out.append(c);
      }
    }
    if (inSlash) {
      throw new SelectorParseException("invalid field selector: invalid escape sequence: \\", position + s.length() - 1);
    }
    return out.toString();
  }

  /** Escapes {@code \ , =} so that a value survives {@link #parse} (upstream {@code fields.EscapeValue}). */
  public static String escape(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
  }
}
