package io.daemonset.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tolerations, taints and required node affinity, as upstream's core validation checks them. */
public final class SchedulingValidation {
  static final List<String> TAINT_EFFECTS = List.of(Taint.NO_SCHEDULE, Taint.PREFER_NO_SCHEDULE, Taint.NO_EXECUTE);

  private SchedulingValidation() {}

  public static List<FieldError> tolerations(List<Toleration> tolerations, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < tolerations.size(); i++) {
      Toleration t = tolerations.get(i);
      FieldPath p = path.index(i);
      String key = t.key() == null ? "" : t.key();
      String op = t.operator() == null ? "" : t.operator();
      String value = t.value() == null ? "" : t.value();
      String effect = t.effect() == null ? "" : t.effect();
      if (!key.isEmpty()) {
        errs.addAll(MetaValidation.validateLabelName(key, p.child("key")));
      }
      if (key.isEmpty() && !op.equals("Exists")) {
        errs.add(FieldError.invalid(p.child("operator"), op,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
      }
      if (t.tolerationSeconds() != null && !effect.equals(Taint.NO_EXECUTE)) {
        errs.add(FieldError.invalid(p.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (op) {
        case "Equal", "" -> {
          // upstream quirk kept: a bad value is reported on the operator field
          List<String> msgs = NameRules.labelValue(value);
          if (!msgs.isEmpty()) {
            errs.add(FieldError.invalid(p.child("operator"), value, String.join(";", msgs)));
          }
        }
        case "Exists" -> {
          if (!value.isEmpty()) {
            errs.add(FieldError.invalid(p.child("operator"), value, "value must be empty when `operator` is 'Exists'"));
          }
        }
        default -> errs.add(FieldError.notSupported(p.child("operator"), op, List.of("Equal", "Exists")));
      }
      if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
        errs.add(FieldError.notSupported(p.child("effect"), effect, TAINT_EFFECTS));
      }
    }
    return errs;
  }

  /** upstream validateNodeTaints: key a label key, value a label value, effect required, key+effect unique. */
  public static List<FieldError> taints(List<Taint> taints, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, Set<String>> seen = new HashMap<>();
    for (int i = 0; i < taints.size(); i++) {
      Taint t = taints.get(i);
      FieldPath p = path.index(i);
      String value = t.value() == null ? "" : t.value();
      String effect = t.effect() == null ? "" : t.effect();
      errs.addAll(MetaValidation.validateLabelName(t.key() == null ? "" : t.key(), p.child("key")));
      List<String> msgs = NameRules.labelValue(value);
      if (!msgs.isEmpty()) {
        errs.add(FieldError.invalid(p.child("value"), value, String.join(";", msgs)));
      }
      if (effect.isEmpty()) {
        errs.add(FieldError.required(p.child("effect"), ""));
      } else if (!TAINT_EFFECTS.contains(effect)) {
        errs.add(FieldError.notSupported(p.child("effect"), effect, TAINT_EFFECTS));
      }
      if (!seen.computeIfAbsent(effect, e -> new HashSet<>()).add(t.key())) {
        errs.add(FieldError.duplicate(p, Taint.of(t.key(), t.value(), t.effect()))
            .withDetail("taints must be unique by key and effect pair"));
      }
    }
    return errs;
  }

  static List<FieldError> nodeAffinity(NodeAffinity na, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    NodeSelector required = na.requiredDuringSchedulingIgnoredDuringExecution();
    if (required == null) {
      return errs;
    }
    FieldPath terms = path.child("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
    if (required.termsOrEmpty().isEmpty()) {
      errs.add(FieldError.required(terms, "must have at least one node selector term"));
      return errs;
    }
    for (int i = 0; i < required.termsOrEmpty().size(); i++) {
      NodeSelectorTerm term = required.termsOrEmpty().get(i);
      for (int j = 0; j < term.matchExpressionsOrEmpty().size(); j++) {
        errs.addAll(expression(term.matchExpressionsOrEmpty().get(j), terms.index(i).child("matchExpressions").index(j)));
      }
      for (int j = 0; j < term.matchFieldsOrEmpty().size(); j++) {
        errs.addAll(fieldExpression(term.matchFieldsOrEmpty().get(j), terms.index(i).child("matchFields").index(j)));
      }
    }
    return errs;
  }

  private static List<FieldError> expression(NodeSelectorRequirement r, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String op = r.operator() == null ? "" : r.operator();
    int n = r.valuesOrEmpty().size();
    switch (op) {
      case "In", "NotIn" -> {
        if (n == 0) {
          errs.add(FieldError.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
      }
      case "Exists", "DoesNotExist" -> {
        if (n > 0) {
          errs.add(FieldError.forbidden(p.child("values"),
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
      }
      case "Gt", "Lt" -> {
        if (n != 1) {
          errs.add(FieldError.required(p.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        }
      }
      default -> errs.add(FieldError.invalid(p.child("operator"), op, "not a valid selector operator"));
    }
    errs.addAll(MetaValidation.validateLabelName(r.key(), p.child("key")));
    for (int i = 0; i < n; i++) {
      String v = r.valuesOrEmpty().get(i);
      FieldPath vp = p.child("values").index(i);
      NameRules.labelValue(v == null ? "" : v).forEach(m -> errs.add(FieldError.invalid(vp, v, m)));
    }
    return errs;
  }

  /** Field selectors on nodes: only metadata.name, with In or NotIn and exactly one node name. */
  private static List<FieldError> fieldExpression(NodeSelectorRequirement r, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    String op = r.operator() == null ? "" : r.operator();
    if (op.equals("In") || op.equals("NotIn")) {
      if (r.valuesOrEmpty().size() != 1) {
        errs.add(FieldError.required(p.child("values"),
            "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
      }
    } else {
      errs.add(FieldError.invalid(p.child("operator"), op, "not a valid selector operator"));
    }
    if (!"metadata.name".equals(r.key())) {
      errs.add(FieldError.invalid(p.child("key"), r.key() == null ? "" : r.key(), "not a valid field selector key"));
    } else {
      for (int i = 0; i < r.valuesOrEmpty().size(); i++) {
        String v = r.valuesOrEmpty().get(i);
        FieldPath vp = p.child("values").index(i);
        NameRules.dns1123Subdomain(v == null ? "" : v).forEach(m -> errs.add(FieldError.invalid(vp, v, m)));
      }
    }
    return errs;
  }
}
