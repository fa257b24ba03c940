package io.daemonset.api.patch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How each list of an object merges, keyed by its path with {@code []} for "inside a list item"
 * ({@code spec.template.spec.containers[].env}). It encodes the {@code patchStrategy}/{@code patchMergeKey}
 * struct tags (strategic merge patch) and the {@code +listType}/{@code +listMapKey} markers (server-side
 * apply) of k8s.io/api core/v1, apps/v1 and meta/v1 types.go. The two usually agree; where they do not,
 * both are kept: container ports merge by containerPort in a strategic merge patch but are keyed by
 * (containerPort, protocol) in managedFields; tolerations, taints, args, command have no strategy and are
 * replaced whole (atomic). A list not named here is atomic, as upstream treats a field without tags.
 * Maps are merged key by key in a strategic merge patch (no type here uses {@code patchStrategy:"replace"}
 * on a map); for apply, a few structs are {@code +structType=atomic} (LabelSelector, NodeSelector): owned and
 * replaced whole, they appear in FieldsV1 as {@code "f:selector":{}}.
 */
public final class PatchSchema {

  /** How server-side apply sees a list: owned whole, a set of scalars, or items identified by keys. */
  public enum ListType { ATOMIC, SET, MAP }

  /**
   * One list's rules. {@code merge}: strategic merge patch merges it (by {@code mergeKey} for items that are
   * objects, as a set for scalars); otherwise the patch replaces it. {@code type}/{@code keys}: how apply
   * identifies its items; {@code keyDefaults} fills a key an item omits (protocol defaults to TCP).
   */
  public record ListRule(boolean merge, String mergeKey, ListType type, List<String> keys,
                         Map<String, String> keyDefaults) {
    static final ListRule ATOMIC = new ListRule(false, "", ListType.ATOMIC, List.of(), Map.of());
    static final ListRule PRIMITIVE_SET = new ListRule(true, "", ListType.SET, List.of(), Map.of());

    static ListRule byKey(String key) {
      return new ListRule(true, key, ListType.MAP, List.of(key), Map.of());
    }
  }

  private static final ListRule PORTS = new ListRule(true, "containerPort", ListType.MAP,
      List.of("containerPort", "protocol"), Map.of("protocol", "TCP"));
  private static final ListRule SPREAD = new ListRule(true, "topologyKey", ListType.MAP,
      List.of("topologyKey", "whenUnsatisfiable"), Map.of());
  /** ResourceRequirements.claims: +listType=map keyed by name, but no patch strategy. */
  private static final ListRule CLAIMS = new ListRule(false, "", ListType.MAP, List.of("name"), Map.of());
  /** PodStatus.hostIPs: merged by ip in a strategic merge patch, but +listType=atomic. */
  private static final ListRule HOST_IPS = new ListRule(true, "ip", ListType.ATOMIC, List.of(), Map.of());

  public static final PatchSchema POD = new Builder().objectMeta("metadata").podSpec("spec").podStatus("status")
      .build();
  /** A PodTemplateSpec document ({@code metadata}, {@code spec}). */
  public static final PatchSchema POD_TEMPLATE = new Builder().objectMeta("metadata").podSpec("spec").build();
  public static final PatchSchema DAEMONSET = new Builder().objectMeta("metadata").atomic("spec.selector")
      .objectMeta("spec.template.metadata").podSpec("spec.template.spec")
      .list("status.conditions", ListRule.byKey("type")).build();
  public static final PatchSchema NODE = new Builder().objectMeta("metadata")
      .list("spec.podCIDRs", ListRule.PRIMITIVE_SET)
      .list("status.conditions", ListRule.byKey("type"))
      .list("status.addresses", ListRule.byKey("type")).build();

  /** No list merges: every list is replaced whole. For kinds this package does not know. */
  public static final PatchSchema ATOMIC = new Builder().build();

  private final Map<String, ListRule> lists;
  private final Set<String> atomicMaps;

  private PatchSchema(Map<String, ListRule> lists, Set<String> atomicMaps) {
    this.lists = Map.copyOf(lists);
    this.atomicMaps = Set.copyOf(atomicMaps);
  }

  /** The schema of a kind: DaemonSet, Pod, Node; {@link #ATOMIC} for others. */
  public static PatchSchema forKind(String kind) {
    return switch (kind == null ? "" : kind) {
      case "DaemonSet" -> DAEMONSET;
      case "Pod" -> POD;
      case "Node" -> NODE;
      default -> ATOMIC;
    };
  }

  /** The rule for the list at {@code path}; atomic if the schema does not name it. */
  public ListRule list(String path) {
    return lists.getOrDefault(path, ListRule.ATOMIC);
  }

  /** Whether apply treats the map at {@code path} as one value ({@code +structType=atomic}). */
  public boolean atomicMap(String path) {
    return atomicMaps.contains(path);
  }

  /** The path of field {@code name} under {@code parent} ("" is the document root). */
  static String child(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  /** The path inside an item of the list at {@code list}. */
  static String item(String list) {
    return list + "[]";
  }

  private static final class Builder {
    private final Map<String, ListRule> lists = new HashMap<>();
    private final Set<String> atomicMaps = new HashSet<>();

    Builder list(String path, ListRule rule) {
      lists.put(path, rule);
      return this;
    }

    Builder atomic(String path) {
      atomicMaps.add(path);
      return this;
    }

    Builder objectMeta(String at) {
      return list(at + ".finalizers", ListRule.PRIMITIVE_SET).list(at + ".ownerReferences", ListRule.byKey("uid"));
    }

    Builder podSpec(String at) {
      for (String containers : List.of("containers", "initContainers", "ephemeralContainers")) {
        String c = item(at + "." + containers);
        list(at + "." + containers, ListRule.byKey("name"))
            .list(c + ".ports", PORTS)
            .list(c + ".env", ListRule.byKey("name"))
            .list(c + ".volumeMounts", ListRule.byKey("mountPath"))
            .list(c + ".volumeDevices", ListRule.byKey("devicePath"))
            .list(c + ".resources.claims", CLAIMS);
      }
      String affinity = at + ".affinity.";
      for (String kind : List.of("podAffinity", "podAntiAffinity")) {
        atomic(item(affinity + kind + ".requiredDuringSchedulingIgnoredDuringExecution") + ".labelSelector")
            .atomic(item(affinity + kind + ".preferredDuringSchedulingIgnoredDuringExecution")
                + ".podAffinityTerm.labelSelector");
      }
      atomic(affinity + "nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution")
          .atomic(item(at + ".topologySpreadConstraints") + ".labelSelector");
      return list(at + ".volumes", ListRule.byKey("name"))
          .list(at + ".imagePullSecrets", ListRule.byKey("name"))
          .list(at + ".hostAliases", ListRule.byKey("ip"))
          .list(at + ".topologySpreadConstraints", SPREAD)
          .list(at + ".resourceClaims", ListRule.byKey("name"))
          .list(at + ".schedulingGates", ListRule.byKey("name"));
    }

    Builder podStatus(String at) {
      return list(at + ".conditions", ListRule.byKey("type"))
          .list(at + ".podIPs", ListRule.byKey("ip"))
          .list(at + ".hostIPs", HOST_IPS)
          .list(at + ".resourceClaimStatuses", ListRule.byKey("name"));
    }

    PatchSchema build() {
      return new PatchSchema(lists, atomicMaps);
    }
  }
}
