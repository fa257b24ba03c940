package io.daemonset.daemonset;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodTemplateSpec;
import io.daemonset.placement.DaemonTolerations;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a DaemonSet's template becomes a pod bound to one node (upstream's NewPod + ownerReference). */
public final class DaemonPods {
  public static final String REVISION_HASH_LABEL = "controller-revision-hash";
  public static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";

  private DaemonPods() {}

  public static Pod render(DaemonSet ds, PodTemplateSpec template, String revisionHash, String nodeName,
                           String podName, String podUid, Instant now) {
    ObjectMeta templateMeta = template.metadata() == null ? ObjectMeta.named(null, null) : template.metadata();
    Map<String, String> labels = new LinkedHashMap<>(templateMeta.labelsOrEmpty());
    labels.put(REVISION_HASH_LABEL, revisionHash);
    Long generation = ds.metadata().generation();
    if (generation != null) {
      labels.put(TEMPLATE_GENERATION_LABEL, String.valueOf(generation));
    }
    OwnerReference owner = OwnerReference.controlledBy("apps/v1", DaemonSet.KIND, ds.metadata().name(), ds.metadata().uid());
    ObjectMeta named = ObjectMeta.named(ds.metadata().namespace(), podName);
    ObjectMeta meta = new ObjectMeta(named.name(), PodNames.generateName(ds.metadata().name()), named.namespace(),
        null, null, null, null, null, null, null, null, null, null, null)
        .withUid(podUid)
        .withCreationTimestamp(now)
        .withLabels(Map.copyOf(labels))
        .withAnnotations(templateMeta.annotations())
        .withOwnerReferences(List.of(owner));
    PodSpec spec = DaemonTolerations.withDaemonTolerations(template.spec()).withNodeName(nodeName);
    return new Pod("v1", Pod.KIND, meta, spec, null);
  }
}
