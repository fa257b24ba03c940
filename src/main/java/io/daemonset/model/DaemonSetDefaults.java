package io.daemonset.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DaemonSet defaulting, per API version, as daemonset-semantics.md and upstream's SetDefaults_DaemonSet say:
 * <ul>
 *   <li>apps/v1 (and a missing apiVersion): type RollingUpdate; for RollingUpdate, maxUnavailable 1, maxSurge 0.</li>
 *   <li>extensions/v1beta1: selector (matchLabels) and metadata.labels copied from the template labels when absent;
 *       type OnDelete; maxUnavailable 1 only when the type is RollingUpdate (no maxSurge: v1beta1 never had one).</li>
 *   <li>both: revisionHistoryLimit 10, namespace "default", and the pod template defaults of {@link PodDefaults}.</li>
 * </ul>
 * Pure and idempotent.
 */
public final class DaemonSetDefaults {
  public static final int REVISION_HISTORY_LIMIT = 10;

  private DaemonSetDefaults() {}

  public static DaemonSet daemonSet(DaemonSet ds) {
    boolean v1beta1 = DaemonSet.EXTENSIONS_V1BETA1.equals(ds.apiVersion());
    ObjectMeta meta = PodDefaults.defaultNamespace(ds.metadata());
    DaemonSetSpec spec = ds.spec() != null ? ds.spec() : new DaemonSetSpec(null, null, null, null, null, null);
    PodTemplateSpec template = PodDefaults.template(spec.template());
    Map<String, String> templateLabels = template.metadata() == null ? null : template.metadata().labels();
    LabelSelector selector = spec.selector();
    if (v1beta1 && templateLabels != null) {
      if (selector == null) {
        selector = LabelSelector.ofLabels(new LinkedHashMap<>(templateLabels));
      }
      if (meta.labelsOrEmpty().isEmpty()) {
        meta = meta.withLabels(new LinkedHashMap<>(templateLabels));
      }
    }
    DaemonSetSpec out = spec.withSelector(selector).withTemplate(template)
        .withUpdateStrategy(strategy(spec.updateStrategy(), v1beta1))
        .withRevisionHistoryLimit(spec.revisionHistoryLimit() != null ? spec.revisionHistoryLimit()
            : REVISION_HISTORY_LIMIT);
    return ds.withMetadata(meta).withSpec(out);
  }

  private static DaemonSetUpdateStrategy strategy(DaemonSetUpdateStrategy given, boolean v1beta1) {
    DaemonSetUpdateStrategy s = given != null ? given : new DaemonSetUpdateStrategy(null, null);
    String type = s.type() == null || s.type().isEmpty()
        ? (v1beta1 ? DaemonSetUpdateStrategy.ON_DELETE : DaemonSetUpdateStrategy.ROLLING_UPDATE) : s.type();
    if (!type.equals(DaemonSetUpdateStrategy.ROLLING_UPDATE)) {
      return new DaemonSetUpdateStrategy(type, s.rollingUpdate());
    }
    RollingUpdateDaemonSet ru = s.rollingUpdate() != null ? s.rollingUpdate() : new RollingUpdateDaemonSet(null, null);
    IntOrString maxUnavailable = ru.maxUnavailable() != null ? ru.maxUnavailable() : IntOrString.of(1);
    IntOrString maxSurge = ru.maxSurge() != null || v1beta1 ? ru.maxSurge() : IntOrString.of(0);
    return new DaemonSetUpdateStrategy(type, ru.withBudget(maxUnavailable, maxSurge));
  }
}
