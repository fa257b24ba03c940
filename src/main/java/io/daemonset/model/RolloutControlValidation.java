package io.daemonset.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Validation of the rollout controls upstream lacks (partition, paused, selector, canary, failurePolicy,
 * progressDeadlineSeconds), in upstream's words for the rules they share with Deployment and OpenKruise.
 */
final class RolloutControlValidation {
  static final List<String> FAILURE_POLICIES = List.of(
      RollingUpdateDaemonSet.CONTINUE, RollingUpdateDaemonSet.PAUSE, RollingUpdateDaemonSet.ROLLBACK);

  private RolloutControlValidation() {}

  static List<FieldError> rollingUpdate(RollingUpdateDaemonSet ru, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (ru.partition() != null) {
      errs.addAll(MetaValidation.nonNegative(ru.partition(), path.child("partition")));
    }
    if (ru.selector() != null) {
      errs.addAll(MetaValidation.validateLabelSelector(ru.selector(), path.child("selector")));
    }
    if (ru.failurePolicy() != null && !FAILURE_POLICIES.contains(ru.failurePolicy())) {
      errs.add(FieldError.notSupported(path.child("failurePolicy"), ru.failurePolicy(), FAILURE_POLICIES));
    }
    if (ru.failureThreshold() != null && ru.failureThreshold() < 1) {
      errs.add(FieldError.invalid(path.child("failureThreshold"), ru.failureThreshold(), "must be greater than 0"));
    }
    if (ru.canary() != null) {
      errs.addAll(canary(ru.canary(), path.child("canary")));
    }
    return errs;
  }

  private static List<FieldError> canary(CanaryStrategy canary, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (canary.nodes() == null && canary.selector() == null) {
      errs.add(FieldError.required(path.child("nodes"), "a canary needs nodes (a number or a percentage), a selector, or both"));
    }
    if (canary.nodes() != null) {
      IntOrString n = canary.nodes();
      if (n.isInt()) {
        if (n.intValue() < 1) {
          errs.add(FieldError.invalid(path.child("nodes"), n, "must be greater than 0"));
        }
      } else {
        NameRules.percent(n.stringValue()).forEach(m -> errs.add(FieldError.invalid(path.child("nodes"), n, m)));
        if (n.percent().isPresent() && (n.percent().getAsInt() < 1 || n.percent().getAsInt() > 100)) {
          errs.add(FieldError.invalid(path.child("nodes"), n, "must be between 1% and 100%"));
        }
      }
    }
    if (canary.selector() != null) {
      errs.addAll(MetaValidation.validateLabelSelector(canary.selector(), path.child("selector")));
    }
    if (canary.soakSeconds() != null) {
      errs.addAll(MetaValidation.nonNegative(canary.soakSeconds(), path.child("soakSeconds")));
    }
    return errs;
  }

  /** Deployment's rule: progressDeadlineSeconds is positive and greater than minReadySeconds. */
  static List<FieldError> progressDeadline(DaemonSetSpec spec, FieldPath path) {
    Integer deadline = spec.progressDeadlineSeconds();
    if (deadline == null) {
      return List.of();
    }
    if (deadline <= 0) {
      return List.of(FieldError.invalid(path.child("progressDeadlineSeconds"), deadline, "must be greater than 0"));
    }
    if (deadline <= spec.minReadySecondsOrZero()) {
      return List.of(FieldError.invalid(path.child("progressDeadlineSeconds"), deadline,
          "must be greater than minReadySeconds"));
    }
    return List.of();
  }
}
