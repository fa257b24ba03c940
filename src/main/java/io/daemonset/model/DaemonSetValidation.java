package io.daemonset.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DaemonSet validation as kube-apiserver does it (apps ValidateDaemonSet / ValidateDaemonSetSpec /
 * ValidateRollingUpdateDaemonSet and the registry strategy). Every violated rule is reported, never only the first.
 * Validate defaulted objects (see {@link DaemonSetDefaults}).
 */
public final class DaemonSetValidation {
  private static final List<String> STRATEGIES = List.of(DaemonSetUpdateStrategy.ROLLING_UPDATE,
      DaemonSetUpdateStrategy.ON_DELETE);

  private DaemonSetValidation() {}

  /** Create: metadata (DNS subdomain name, namespace required) and spec. */
  public static List<FieldError> validate(DaemonSet ds) {
    List<FieldError> errs = new ArrayList<>(MetaValidation.validateObjectMeta(ds.metadata(), true,
        MetaValidation.DNS_SUBDOMAIN_NAME, FieldPath.of("metadata")));
    errs.addAll(validateSpec(ds.spec(), FieldPath.of("spec")));
    return errs;
  }

  /**
   * Update through the given API version: everything {@link #validate} checks, what metadata may not change, and
   * the selector, which is immutable except through extensions/v1beta1.
   */
  public static List<FieldError> validateUpdate(DaemonSet newDs, DaemonSet oldDs, String requestApiVersion) {
    List<FieldError> errs = new ArrayList<>(validate(newDs));
    errs.addAll(MetaValidation.validateObjectMetaUpdate(newDs.metadata(), oldDs.metadata(), FieldPath.of("metadata")));
    if (!DaemonSet.EXTENSIONS_V1BETA1.equals(requestApiVersion)) {
      LabelSelector newSelector = newDs.spec() == null ? null : newDs.spec().selector();
      LabelSelector oldSelector = oldDs.spec() == null ? null : oldDs.spec().selector();
      if (!Selectors.semanticallyEqual(newSelector, oldSelector)) {
        errs.add(FieldError.invalid(FieldPath.of("spec", "selector"), newSelector, MetaValidation.IMMUTABLE));
      }
    }
    return errs;
  }

  /** Update through the API version the new object carries. */
  public static List<FieldError> validateUpdate(DaemonSet newDs, DaemonSet oldDs) {
    return validateUpdate(newDs, oldDs, newDs.apiVersion());
  }

  /** Status writes: counters non-negative and collisionCount never decremented. */
  public static List<FieldError> validateStatusUpdate(DaemonSet newDs, DaemonSet oldDs) {
    List<FieldError> errs = new ArrayList<>(
        MetaValidation.validateObjectMetaUpdate(newDs.metadata(), oldDs.metadata(), FieldPath.of("metadata")));
    DaemonSetStatus s = newDs.status() == null ? DaemonSetStatus.EMPTY : newDs.status();
    FieldPath p = FieldPath.of("status");
    Map<String, Long> counters = new java.util.LinkedHashMap<>();
    counters.put("currentNumberScheduled", (long) s.currentNumberScheduled());
    counters.put("numberMisscheduled", (long) s.numberMisscheduled());
    counters.put("desiredNumberScheduled", (long) s.desiredNumberScheduled());
    counters.put("numberReady", (long) s.numberReady());
    counters.put("observedGeneration", s.observedGeneration() == null ? 0L : s.observedGeneration());
    counters.put("updatedNumberScheduled", (long) s.updatedNumberScheduled());
    counters.put("numberAvailable", (long) s.numberAvailable());
    counters.put("numberUnavailable", (long) s.numberUnavailable());
    if (s.collisionCount() != null) {
      counters.put("collisionCount", (long) s.collisionCount());
    }
    counters.forEach((name, value) -> errs.addAll(MetaValidation.nonNegative(value, p.child(name))));
    Integer oldCount = oldDs.status() == null ? null : oldDs.status().collisionCount();
    if (oldCount != null && (s.collisionCount() == null || s.collisionCount() < oldCount)) {
      errs.add(FieldError.invalid(p.child("collisionCount"), s.collisionCount() == null ? 0 : s.collisionCount(),
          "cannot be decremented"));
    }
    return errs;
  }

  /**
   * upstream ValidateDaemonSetSpec, plus one rule upstream leaves implicit: a missing selector is reported as
   * Required (upstream only reports that nothing matches the template labels, which it also reports here).
   */
  public static List<FieldError> validateSpec(DaemonSetSpec daemonSetSpec, FieldPath path) {
    DaemonSetSpec spec = daemonSetSpec != null ? daemonSetSpec : new DaemonSetSpec(null, null, null, null, null, null);
    LabelSelector selector = spec.selector();
    Map<String, String> templateLabels = spec.template() == null || spec.template().metadata() == null
        ? null : spec.template().metadata().labels();
    List<FieldError> errs = new ArrayList<>();
    if (selector == null) {
      errs.add(FieldError.required(path.child("selector"), ""));
    }
    errs.addAll(MetaValidation.validateLabelSelector(selector, path.child("selector")));
    Optional<Boolean> matches = Selectors.matches(selector, templateLabels);
    if (matches.isPresent() && !matches.get()) {
      errs.add(FieldError.invalid(path.child("template", "metadata", "labels"), templateLabels,
          "`selector` does not match template `labels`"));
    }
    if (selector != null && selector.isEmpty()) {
      errs.add(FieldError.invalid(path.child("selector"), selector, "empty selector is invalid for daemonset"));
    }
    errs.addAll(PodSpecValidation.validatePodTemplateSpec(spec.template(), path.child("template")));
    PodSpec podSpec = spec.template() == null || spec.template().spec() == null ? PodSpec.of(null) : spec.template().spec();
    String restartPolicy = podSpec.restartPolicy() == null ? "" : podSpec.restartPolicy();
    if (!restartPolicy.equals("Always")) {
      errs.add(FieldError.notSupported(path.child("template", "spec", "restartPolicy"), restartPolicy, List.of("Always")));
    }
    if (podSpec.activeDeadlineSeconds() != null) {
      errs.add(FieldError.forbidden(path.child("template", "spec", "activeDeadlineSeconds"),
          "activeDeadlineSeconds in DaemonSet is not Supported"));
    }
    errs.addAll(MetaValidation.nonNegative(spec.minReadySecondsOrZero(), path.child("minReadySeconds")));
    if (spec.templateGeneration() != null) {
      errs.addAll(MetaValidation.nonNegative(spec.templateGeneration(), path.child("templateGeneration")));
    }
    errs.addAll(validateUpdateStrategy(spec.updateStrategy(), path.child("updateStrategy")));
    errs.addAll(RolloutControlValidation.progressDeadline(spec, path));
    if (spec.revisionHistoryLimit() != null) {
      errs.addAll(MetaValidation.nonNegative(spec.revisionHistoryLimit(), path.child("revisionHistoryLimit")));
    }
    return errs;
  }

  static List<FieldError> validateUpdateStrategy(DaemonSetUpdateStrategy strategy, FieldPath path) {
    DaemonSetUpdateStrategy s = strategy != null ? strategy : new DaemonSetUpdateStrategy(null, null);
    String type = s.type() == null ? "" : s.type();
    if (type.equals(DaemonSetUpdateStrategy.ON_DELETE)) {
      return List.of();
    }
    if (!type.equals(DaemonSetUpdateStrategy.ROLLING_UPDATE)) {
      return List.of(FieldError.notSupported(path, s, STRATEGIES));
    }
    if (s.rollingUpdate() == null) {
      return List.of(FieldError.required(path.child("rollingUpdate"), ""));
    }
    return validateRollingUpdate(s.rollingUpdate(), path.child("rollingUpdate"));
  }

  /**
   * upstream ValidateRollingUpdateDaemonSet: each an int >= 0 or a percent <= 100%, and exactly one of the two
   * non-zero. An absent value counts as 0, as after upstream's conversion to its internal type.
   */
  public static List<FieldError> validateRollingUpdate(RollingUpdateDaemonSet ru, FieldPath path) {
    IntOrString maxUnavailable = ru.maxUnavailable() != null ? ru.maxUnavailable() : IntOrString.of(0);
    IntOrString maxSurge = ru.maxSurge() != null ? ru.maxSurge() : IntOrString.of(0);
    FieldPath unavailablePath = path.child("maxUnavailable");
    FieldPath surgePath = path.child("maxSurge");
    List<FieldError> errs = new ArrayList<>();
    errs.addAll(intOrPercent(maxUnavailable, unavailablePath));
    errs.addAll(intOrPercent(maxSurge, surgePath));
    errs.addAll(notMoreThan100Percent(maxUnavailable, unavailablePath));
    errs.addAll(notMoreThan100Percent(maxSurge, surgePath));
    boolean hasUnavailable = value(maxUnavailable) != 0;
    boolean hasSurge = value(maxSurge) != 0;
    if (hasUnavailable && hasSurge) {
      errs.add(FieldError.invalid(surgePath, maxSurge, "may not be set when maxUnavailable is non-zero"));
    } else if (!hasUnavailable && !hasSurge) {
      errs.add(FieldError.required(unavailablePath, "cannot be 0 when maxSurge is 0"));
    }
    errs.addAll(RolloutControlValidation.rollingUpdate(ru, path));
    return errs;
  }

  private static List<FieldError> intOrPercent(IntOrString v, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (v.isInt()) {
      errs.addAll(MetaValidation.nonNegative(v.intValue(), path));
    } else {
      NameRules.percent(v.stringValue()).forEach(m -> errs.add(FieldError.invalid(path, v, m)));
    }
    return errs;
  }

  private static List<FieldError> notMoreThan100Percent(IntOrString v, FieldPath path) {
    return v.percent().isPresent() && v.percent().getAsInt() > 100
        ? List.of(FieldError.invalid(path, v, "must not be greater than 100%")) : List.of();
  }

  /** upstream getIntOrPercentValue: the percentage, else IntValue() (a non-numeric string counts as 0). */
  private static int value(IntOrString v) {
    if (v.isInt()) {
      return v.intValue();
    }
    if (v.percent().isPresent()) {
      return v.percent().getAsInt();
    }
    try {
      return Integer.parseInt(v.stringValue());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
