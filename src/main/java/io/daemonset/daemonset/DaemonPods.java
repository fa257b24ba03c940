package io.daemonset.daemonset;

import io.daemonset.model.Affinity;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.NodeAffinity;
import io.daemonset.model.NodeSelector;
import io.daemonset.model.NodeSelectorRequirement;
import io.daemonset.model.NodeSelectorTerm;
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

  /**
   * Upstream's ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes the one term
   * {@code matchFields metadata.name In [node]}, so that a pod still Pending (not bound) names its node.
   */
  static PodSpec withNodeAffinity(PodSpec spec, String nodeName) {
    NodeSelectorTerm term = new NodeSelectorTerm(null,
        List.of(new NodeSelectorRequirement("metadata.name", "In", List.of(nodeName))));
    Affinity affinity = spec.affinity();
    NodeAffinity nodeAffinity = new NodeAffinity(new NodeSelector(List.of(term)),
        affinity == null || affinity.nodeAffinity() == null ? null
            : affinity.nodeAffinity().preferredDuringSchedulingIgnoredDuringExecution());
    return spec.withAffinity(affinity == null ? new Affinity(nodeAffinity, null, null)
        : new Affinity(nodeAffinity, affinity.podAffinity(), affinity.podAntiAffinity()));
  }

  /** A pod of the DaemonSet's own template: its template generation. */
  public static Pod render(DaemonSet ds, PodTemplateSpec template, String revisionHash, String nodeName,
                           String podName, String podUid, Instant now) {
    return render(ds, template, DaemonSetObjects.templateGeneration(ds), revisionHash, nodeName, podName, podUid, now);
  }

  /**
   * templateGeneration: of the template the pod is made of (upstream's CreatePodTemplate labels the pod with the
   * generation of the template it creates it from), not the DaemonSet's generation, nor its template generation when
   * the template is an older revision's (a canary, a partition, a paused rollout).
   */
  public static Pod render(DaemonSet ds, PodTemplateSpec template, long templateGeneration, String revisionHash,
                           String nodeName, String podName, String podUid, Instant now) {
    ObjectMeta templateMeta = template.metadata() == null ? ObjectMeta.named(null, null) : template.metadata();
    Map<String, String> labels = new LinkedHashMap<>(templateMeta.labelsOrEmpty());
    labels.put(REVISION_HASH_LABEL, revisionHash);
    labels.put(TEMPLATE_GENERATION_LABEL, String.valueOf(templateGeneration));
    OwnerReference owner = controllerOf(ds);
    ObjectMeta named = ObjectMeta.named(ds.metadata().namespace(), podName);
    ObjectMeta meta = new ObjectMeta(named.name(), PodNames.generateName(ds.metadata().name()), named.namespace(),
        null, null, null, null, null, null, null, null, null, null, null)
        .withUid(podUid)
        .withCreationTimestamp(now)
        .withLabels(Map.copyOf(labels))
        .withAnnotations(templateMeta.annotations())
        .withOwnerReferences(List.of(owner));
    PodSpec spec = withNodeAffinity(DaemonTolerations.withDaemonTolerations(template.spec()), nodeName)
        .withNodeName(nodeName);
    return new Pod("v1", Pod.KIND, meta, spec, null);
  }

  /** The ownerReference of a DaemonSet's pods: controller and blockOwnerDeletion set, as upstream's. */
  static OwnerReference controllerOf(DaemonSet ds) {
    return OwnerReference.controlledBy("apps/v1", DaemonSet.KIND, ds.metadata().name(), ds.metadata().uid());
  }
}
