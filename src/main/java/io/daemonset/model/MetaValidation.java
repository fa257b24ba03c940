package io.daemonset.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * ObjectMeta, labels, annotations and label selectors, as upstream's apimachinery validation checks them. Map entries
 * are checked in key order (Go iterates maps randomly; a stable order keeps messages reproducible).
 */
public final class MetaValidation {
  /** upstream TotalAnnotationSizeLimitB: 256 kB for all keys and values together. */
  public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
  static final String IMMUTABLE = "field is immutable";
  static final String NEGATIVE = "must be greater than or equal to 0";

  private MetaValidation() {}

  /** Name rules: subdomain for most kinds (DaemonSet, Node, Pod), label for namespaces. */
  public static final BiFunction<String, Boolean, List<String>> DNS_SUBDOMAIN_NAME = NameRules::nameIsDnsSubdomain;

  /** upstream ValidateObjectMeta for create: generateName, name, namespace, generation, labels, annotations, owners. */
  public static List<FieldError> validateObjectMeta(ObjectMeta meta, boolean namespaced,
                                                    BiFunction<String, Boolean, List<String>> nameRule,
                                                    FieldPath path) {
    ObjectMeta m = meta != null ? meta : ObjectMeta.named(null, null);
    List<FieldError> errs = new ArrayList<>();
    if (notEmpty(m.generateName())) {
      nameRule.apply(m.generateName(), true)
          .forEach(msg -> errs.add(FieldError.invalid(path.child("generateName"), m.generateName(), msg)));
    }
    if (!notEmpty(m.name())) {
      errs.add(FieldError.required(path.child("name"), "name or generateName is required"));
    } else {
      nameRule.apply(m.name(), false).forEach(msg -> errs.add(FieldError.invalid(path.child("name"), m.name(), msg)));
    }
    if (namespaced) {
      if (!notEmpty(m.namespace())) {
        errs.add(FieldError.required(path.child("namespace"), ""));
      } else {
        NameRules.nameIsDnsLabel(m.namespace(), false)
            .forEach(msg -> errs.add(FieldError.invalid(path.child("namespace"), m.namespace(), msg)));
      }
    } else if (notEmpty(m.namespace())) {
      errs.add(FieldError.forbidden(path.child("namespace"), "not allowed on this type"));
    }
    if (m.generation() != null) {
      errs.addAll(nonNegative(m.generation(), path.child("generation")));
    }
    errs.addAll(validateLabels(m.labels(), path.child("labels")));
    errs.addAll(validateAnnotations(m.annotations(), path.child("annotations")));
    errs.addAll(validateOwnerReferences(m.ownerReferencesOrEmpty(), path.child("ownerReferences")));
    if (m.finalizers() != null) {
      m.finalizers().forEach(f -> NameRules.labelKey(f)
          .forEach(msg -> errs.add(FieldError.invalid(path.child("finalizers"), f, msg))));
    }
    return errs;
  }

  /**
   * upstream ValidateObjectMetaUpdate, less the resourceVersion check: for an update without one, the API layer
   * fills in the stored version (unconditional update), so that check never fires for users.
   */
  public static List<FieldError> validateObjectMetaUpdate(ObjectMeta newMeta, ObjectMeta oldMeta, FieldPath path) {
    ObjectMeta n = newMeta != null ? newMeta : ObjectMeta.named(null, null);
    ObjectMeta o = oldMeta != null ? oldMeta : ObjectMeta.named(null, null);
    List<FieldError> errs = new ArrayList<>();
    if (n.generation() != null && o.generation() != null && n.generation() < o.generation()) {
      errs.add(FieldError.invalid(path.child("generation"), n.generation(), "must not be decremented"));
    }
    immutable(n.name(), o.name(), path.child("name"), errs);
    immutable(n.namespace(), o.namespace(), path.child("namespace"), errs);
    immutable(n.uid(), o.uid(), path.child("uid"), errs);
    immutable(n.creationTimestamp(), o.creationTimestamp(), path.child("creationTimestamp"), errs);
    immutable(n.deletionTimestamp(), o.deletionTimestamp(), path.child("deletionTimestamp"), errs);
    errs.addAll(validateLabels(n.labels(), path.child("labels")));
    errs.addAll(validateAnnotations(n.annotations(), path.child("annotations")));
    errs.addAll(validateOwnerReferences(n.ownerReferencesOrEmpty(), path.child("ownerReferences")));
    if (o.deletionTimestamp() != null) {
      List<String> before = o.finalizers() == null ? List.of() : o.finalizers();
      List<String> added = n.finalizers() == null ? List.of()
          : n.finalizers().stream().filter(f -> !before.contains(f)).toList();
      if (!added.isEmpty()) {
        errs.add(FieldError.forbidden(path.child("finalizers"), "no new finalizers can be added if the object is "
            + "being deleted, found new finalizers " + added));
      }
    }
    return errs;
  }

  public static List<FieldError> validateLabels(Map<String, String> labels, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (labels == null) {
      return errs;
    }
    new TreeMap<>(labels).forEach((k, v) -> {
      errs.addAll(validateLabelName(k, path));
      NameRules.labelValue(v == null ? "" : v).forEach(msg -> errs.add(FieldError.invalid(path, v, msg)));
    });
    return errs;
  }

  public static List<FieldError> validateLabelName(String key, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    NameRules.labelKey(key == null ? "" : key).forEach(msg -> errs.add(FieldError.invalid(path, key, msg)));
    return errs;
  }

  /** Annotation keys are label keys compared case-insensitively; all keys and values together at most 256 kB. */
  public static List<FieldError> validateAnnotations(Map<String, String> annotations, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (annotations == null) {
      return errs;
    }
    long total = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
      NameRules.labelKey(e.getKey().toLowerCase(java.util.Locale.ROOT))
          .forEach(msg -> errs.add(FieldError.invalid(path, e.getKey(), msg)));
      total += utf8Length(e.getKey()) + utf8Length(e.getValue() == null ? "" : e.getValue());
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errs.add(FieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
    }
    return errs;
  }

  /** upstream ValidateLabelSelector with invalid label values not allowed (the rule for new objects). */
  public static List<FieldError> validateLabelSelector(LabelSelector selector, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (selector == null) {
      return errs;
    }
    errs.addAll(validateLabels(selector.matchLabels(), path.child("matchLabels")));
    List<LabelSelectorRequirement> exprs = selector.matchExpressionsOrEmpty();
    for (int i = 0; i < exprs.size(); i++) {
      errs.addAll(validateRequirement(exprs.get(i), path.child("matchExpressions").index(i)));
    }
    return errs;
  }

  private static List<FieldError> validateRequirement(LabelSelectorRequirement r, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    String op = r.operator() == null ? "" : r.operator();
    switch (op) {
      case "In", "NotIn" -> {
        if (r.valuesOrEmpty().isEmpty()) {
          errs.add(FieldError.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
      }
      case "Exists", "DoesNotExist" -> {
        if (!r.valuesOrEmpty().isEmpty()) {
          errs.add(FieldError.forbidden(path.child("values"),
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
      }
      default -> errs.add(FieldError.invalid(path.child("operator"), op, "not a valid selector operator"));
    }
    errs.addAll(validateLabelName(r.key(), path.child("key")));
    List<String> values = r.valuesOrEmpty();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      FieldPath vp = path.child("values").index(i);
      NameRules.labelValue(v == null ? "" : v).forEach(msg -> errs.add(FieldError.invalid(vp, v, msg)));
    }
    return errs;
  }

  static List<FieldError> validateOwnerReferences(List<OwnerReference> refs, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    String firstController = null;
    for (OwnerReference ref : refs) {
      String version = ref.apiVersion() == null ? "" : ref.apiVersion().substring(ref.apiVersion().indexOf('/') + 1);
      if (version.isEmpty()) {
        errs.add(FieldError.invalid(path.child("apiVersion"), nullToEmpty(ref.apiVersion()), "version must not be empty"));
      }
      if (!notEmpty(ref.kind())) {
        errs.add(FieldError.invalid(path.child("kind"), nullToEmpty(ref.kind()), "must not be empty"));
      }
      if (!notEmpty(ref.name())) {
        errs.add(FieldError.invalid(path.child("name"), nullToEmpty(ref.name()), "must not be empty"));
      }
      if (!notEmpty(ref.uid())) {
        errs.add(FieldError.invalid(path.child("uid"), nullToEmpty(ref.uid()), "must not be empty"));
      }
      if (ref.isController()) {
        String current = ref.kind() + "/" + ref.name();
        if (firstController != null) {
          errs.add(FieldError.invalid(path, refs, "Only one reference can have Controller set to true. Found \"true\" "
              + "in references for " + firstController + " and " + current));
        } else {
          firstController = current;
        }
      }
    }
    return errs;
  }

  static List<FieldError> nonNegative(long value, FieldPath path) {
    return value < 0 ? List.of(FieldError.invalid(path, value, NEGATIVE)) : List.of();
  }

  static void immutable(Object newValue, Object oldValue, FieldPath path, List<FieldError> errs) {
    if (!Objects.equals(newValue, oldValue)) {
      errs.add(FieldError.invalid(path, newValue, IMMUTABLE));
    }
  }

  static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static long utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
