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

  public static Pod render(DaemonSet ds, PodTemplateSpec template, String revisionHash, String nodeName,
                           String podName, String podUid, Instant now) {
    ObjectMeta templateMeta = template.metadata() == null ? ObjectMeta.named(null, null) : template.metadata();
    Map<String, String> labels = new LinkedHashMap<>(templateMeta.labelsOrEmpty());
    labels.put(REVISION_HASH_LABEL, revisionHash);
    // upstream: the pod-template-generation label is the DaemonSet's template generation, not its generation.
    labels.put(TEMPLATE_GENERATION_LABEL, String.valueOf(DaemonSetObjects.templateGeneration(ds)));
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
