package io.daemonset.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Node validation as upstream's ValidateNode / ValidateNodeUpdate do it: a cluster-scoped DNS subdomain name, labels,
 * taints and non-negative capacity. upstream quirk kept: taints are reported under "metadata.taints".
 */
public final class NodeValidation {
  private NodeValidation() {}

  public static List<FieldError> validate(Node node) {
    List<FieldError> errs = new ArrayList<>(MetaValidation.validateObjectMeta(node.metadata(), false,
        MetaValidation.DNS_SUBDOMAIN_NAME, FieldPath.of("metadata")));
    errs.addAll(taintsAndResources(node));
    return errs;
  }

  /** What may not change: name, uid, creation time; podCIDR and providerID once set. */
  public static List<FieldError> validateUpdate(Node newNode, Node oldNode) {
    List<FieldError> errs = new ArrayList<>(
        MetaValidation.validateObjectMetaUpdate(newNode.metadata(), oldNode.metadata(), FieldPath.of("metadata")));
    errs.addAll(taintsAndResources(newNode));
    NodeSpec n = newNode.spec() == null ? new NodeSpec(null, null, null, null) : newNode.spec();
    NodeSpec o = oldNode.spec() == null ? new NodeSpec(null, null, null, null) : oldNode.spec();
    if (MetaValidation.notEmpty(o.podCIDR()) && !o.podCIDR().equals(n.podCIDR())) {
      errs.add(FieldError.forbidden(FieldPath.of("spec", "podCIDRs"),
          "node updates may not change podCIDR except from \"\" to valid"));
    }
    if (MetaValidation.notEmpty(o.providerID()) && !o.providerID().equals(n.providerID())) {
      errs.add(FieldError.forbidden(FieldPath.of("spec", "providerID"),
          "node updates may not change providerID except from \"\" to valid"));
    }
    return errs;
  }

  private static List<FieldError> taintsAndResources(Node node) {
    List<FieldError> errs = new ArrayList<>();
    if (node.spec() != null) {
      errs.addAll(SchedulingValidation.taints(node.spec().taintsOrEmpty(), FieldPath.of("metadata", "taints")));
    }
    if (node.status() != null) {
      errs.addAll(nonNegative(node.status().capacity(), FieldPath.of("status", "capacity")));
      errs.addAll(nonNegative(node.status().allocatable(), FieldPath.of("status", "allocatable")));
    }
    return errs;
  }

  private static List<FieldError> nonNegative(Map<String, Quantity> resources, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (resources != null) {
      new TreeMap<>(resources).forEach((name, q) -> {
        if (q != null && q.isNegative()) {
          errs.add(FieldError.invalid(path.child(name), q.canonical(), MetaValidation.NEGATIVE));
        }
      });
    }
    return errs;
  }
}
