package io.daemonset.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.PodTemplateSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** ControllerRevisions of a DaemonSet: their data, names and numbers (upstream update.go). */
public final class Revisions {

  /** The label on pods and revisions that names the revision (apps.DefaultDaemonSetUniqueLabelKey). */
  public static final String HASH_LABEL = "controller-revision-hash";

  private Revisions() {}

  /**
   * upstream getPatch: {@code {"spec":{"template":{…,"$patch":"replace"}}}}, a strategic merge patch
   * that restores the template, with every object's keys sorted as Go's json.Marshal of a map sorts
   * them. Equal templates give equal data (compare with JsonNode.equals).
   */
  public static JsonNode revisionData(PodTemplateSpec template) {
    ObjectNode patchedTemplate = ((ObjectNode) CanonicalJson.tree(template)).put("$patch", "replace");
    ObjectNode spec = JsonNodeFactory.instance.objectNode().set("template", CanonicalJson.sorted(patchedTemplate));
    return JsonNodeFactory.instance.objectNode().set("spec", spec);
  }

  /** upstream snapshot: {@code <ds>-<hash>}. */
  public static String revisionName(String dsName, String hash) {
    return dsName + "-" + hash;
  }

  /** The highest revision number plus one, or 1 for the first revision. */
  public static long nextRevisionNumber(Collection<Long> existing) {
    return existing.stream().mapToLong(Long::longValue).max().orElse(0) + 1;
  }

  /**
   * The hash a revision stands for: its {@value #HASH_LABEL} label, or, as upstream constructHistory
   * labels revisions that lack one, its name.
   */
  public static String hashOf(ControllerRevision revision) {
    ObjectMeta meta = revision.metadata();
    String label = meta == null ? null : meta.labelsOrEmpty().get(HASH_LABEL);
    return label != null ? label : meta == null ? null : meta.name();
  }

  /**
   * upstream snapshot's object: named {@code <ds>-<hash>}, labelled with the template's labels plus
   * the hash, annotated as the DaemonSet is, controlled by the DaemonSet.
   */
  public static ControllerRevision snapshot(DaemonSet ds, String hash, long revision) {
    PodTemplateSpec template = ds.spec().template();
    Map<String, String> labels = new LinkedHashMap<>(
        template.metadata() == null ? Map.of() : template.metadata().labelsOrEmpty());
    labels.put(HASH_LABEL, hash);
    ObjectMeta owner = ds.metadata();
    ObjectMeta meta = ObjectMeta.named(owner.namespace(), revisionName(owner.name(), hash))
        .withLabels(Map.copyOf(labels))
        .withAnnotations(owner.annotations())
        .withOwnerReferences(java.util.List.of(OwnerReference.controlledBy(
            ds.apiVersion() == null ? DaemonSet.APPS_V1 : ds.apiVersion(), DaemonSet.KIND, owner.name(), owner.uid())));
    return new ControllerRevision("apps/v1", ControllerRevision.KIND, meta, revisionData(template), revision);
  }
}
