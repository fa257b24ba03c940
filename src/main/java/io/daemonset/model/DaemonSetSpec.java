package io.daemonset.model;

/**
 * DaemonSetSpec; templateGeneration exists only in extensions/v1beta1. Two fields upstream's DaemonSet lacks:
 * {@code progressDeadlineSeconds} (Deployment's meaning: a rollout that makes no progress for that long has failed;
 * the deadline restarts each time another updated pod becomes available) and {@code frozen} (for incident response:
 * while true the controller creates and deletes no pod at all). Both null when absent: upstream's behaviour.
 */
public record DaemonSetSpec(
    LabelSelector selector,
    PodTemplateSpec template,
    DaemonSetUpdateStrategy updateStrategy,
    Integer minReadySeconds,
    Integer revisionHistoryLimit,
    Long templateGeneration,
    Integer progressDeadlineSeconds,
    Boolean frozen) {

  /** Upstream's fields only. */
  public DaemonSetSpec(LabelSelector selector, PodTemplateSpec template, DaemonSetUpdateStrategy updateStrategy,
                       Integer minReadySeconds, Integer revisionHistoryLimit, Long templateGeneration) {
    this(selector, template, updateStrategy, minReadySeconds, revisionHistoryLimit, templateGeneration, null, null);
  }

  public boolean isFrozen() {
    return Boolean.TRUE.equals(frozen);
  }

  public int minReadySecondsOrZero() {
    return minReadySeconds == null ? 0 : minReadySeconds;
  }

  public DaemonSetSpec withSelector(LabelSelector value) {
    return new DaemonSetSpec(value, template, updateStrategy, minReadySeconds, revisionHistoryLimit, templateGeneration, progressDeadlineSeconds, frozen);
  }

  public DaemonSetSpec withTemplate(PodTemplateSpec value) {
    return new DaemonSetSpec(selector, value, updateStrategy, minReadySeconds, revisionHistoryLimit, templateGeneration, progressDeadlineSeconds, frozen);
  }

  public DaemonSetSpec withUpdateStrategy(DaemonSetUpdateStrategy value) {
    return new DaemonSetSpec(selector, template, value, minReadySeconds, revisionHistoryLimit, templateGeneration, progressDeadlineSeconds, frozen);
  }

  public DaemonSetSpec withMinReadySeconds(Integer value) {
    return new DaemonSetSpec(selector, template, updateStrategy, value, revisionHistoryLimit, templateGeneration, progressDeadlineSeconds, frozen);
  }

  public DaemonSetSpec withRevisionHistoryLimit(Integer value) {
    return new DaemonSetSpec(selector, template, updateStrategy, minReadySeconds, value, templateGeneration, progressDeadlineSeconds, frozen);
  }

  public DaemonSetSpec withTemplateGeneration(Long value) {
    return new DaemonSetSpec(selector, template, updateStrategy, minReadySeconds, revisionHistoryLimit, value, progressDeadlineSeconds, frozen);
  }
}
