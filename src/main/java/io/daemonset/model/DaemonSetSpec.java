package io.daemonset.model;

/** DaemonSetSpec; templateGeneration exists only in extensions/v1beta1. */
public record DaemonSetSpec(
    LabelSelector selector,
    PodTemplateSpec template,
    DaemonSetUpdateStrategy updateStrategy,
    Integer minReadySeconds,
    Integer revisionHistoryLimit,
    Long templateGeneration) {

  public int minReadySecondsOrZero() {
    return minReadySeconds == null ? 0 : minReadySeconds;
  }

  public DaemonSetSpec withSelector(LabelSelector value) {
    return new DaemonSetSpec(value, template, updateStrategy, minReadySeconds, revisionHistoryLimit, templateGeneration);
  }

  public DaemonSetSpec withTemplate(PodTemplateSpec value) {
    return new DaemonSetSpec(selector, value, updateStrategy, minReadySeconds, revisionHistoryLimit, templateGeneration);
  }

  public DaemonSetSpec withUpdateStrategy(DaemonSetUpdateStrategy value) {
    return new DaemonSetSpec(selector, template, value, minReadySeconds, revisionHistoryLimit, templateGeneration);
  }

  public DaemonSetSpec withMinReadySeconds(Integer value) {
    return new DaemonSetSpec(selector, template, updateStrategy, value, revisionHistoryLimit, templateGeneration);
  }

  public DaemonSetSpec withRevisionHistoryLimit(Integer value) {
    return new DaemonSetSpec(selector, template, updateStrategy, minReadySeconds, value, templateGeneration);
  }

  public DaemonSetSpec withTemplateGeneration(Long value) {
    return new DaemonSetSpec(selector, template, updateStrategy, minReadySeconds, revisionHistoryLimit, value);
  }
}
