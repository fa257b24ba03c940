package io.daemonset.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pod templates, pod specs and pods, as upstream's ValidatePodTemplateSpec / ValidatePodSpec check them. Call it on
 * defaulted objects: defaulting fills restartPolicy, dnsPolicy, terminationGracePeriodSeconds and the like, and
 * their absence is reported as Required, as upstream does.
 */
public final class PodSpecValidation {
  private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  private static final List<String> PREEMPTION_POLICIES = List.of("PreemptLowerPriority", "Never");
  private static final List<String> HOST_PATH_TYPES = List.of("", "BlockDevice", "CharDevice", "Directory",
      "DirectoryOrCreate", "File", "FileOrCreate", "Socket");

  private PodSpecValidation() {}

  /** A Pod: metadata (namespaced, DNS subdomain name) and spec, with the pod-only checks. */
  public static List<FieldError> validatePod(Pod pod) {
    List<FieldError> errs = new ArrayList<>(MetaValidation.validateObjectMeta(pod.metadata(), true,
        MetaValidation.DNS_SUBDOMAIN_NAME, FieldPath.of("metadata")));
    errs.addAll(validatePodSpec(pod.spec(), true, FieldPath.of("spec")));
    return errs;
  }

  /** upstream quirk kept: template labels and annotations are reported at "<template>.labels", not under metadata. */
  public static List<FieldError> validatePodTemplateSpec(PodTemplateSpec template, FieldPath path) {
    ObjectMeta meta = template == null || template.metadata() == null ? ObjectMeta.named(null, null) : template.metadata();
    List<FieldError> errs = new ArrayList<>(MetaValidation.validateLabels(meta.labels(), path.child("labels")));
    errs.addAll(MetaValidation.validateAnnotations(meta.annotations(), path.child("annotations")));
    errs.addAll(validatePodSpec(template == null ? null : template.spec(), false, path.child("spec")));
    return errs;
  }

  public static List<FieldError> validatePodSpec(PodSpec podSpec, boolean isPod, FieldPath path) {
    PodSpec spec = podSpec != null ? podSpec : PodSpec.of(null);
    List<FieldError> errs = new ArrayList<>();
    if (spec.terminationGracePeriodSeconds() == null) {
      errs.add(FieldError.required(path.child("terminationGracePeriodSeconds"), ""));
    }
    Set<String> volumes = new HashSet<>();
    errs.addAll(volumes(spec.volumes(), volumes, path.child("volumes")));
    errs.addAll(ContainerValidation.containers(spec.containers(), volumes, isPod, path.child("containers")));
    errs.addAll(ContainerValidation.initContainers(spec.initContainers(), spec.containers(), volumes, isPod,
        path.child("initContainers")));
    errs.addAll(hostNetworkPorts(spec, isPod, path));
    errs.addAll(ContainerValidation.oneOf(spec.restartPolicy(), RESTART_POLICIES, path.child("restartPolicy")));
    errs.addAll(ContainerValidation.oneOf(spec.dnsPolicy(), DNS_POLICIES, path.child("dnsPolicy")));
    errs.addAll(MetaValidation.validateLabels(spec.nodeSelector(), path.child("nodeSelector")));
    if (spec.affinity() != null && spec.affinity().nodeAffinity() != null) {
      errs.addAll(SchedulingValidation.nodeAffinity(spec.affinity().nodeAffinity(),
          path.child("affinity", "nodeAffinity")));
    }
    subdomain(spec.serviceAccountName(), path.child("serviceAccountName"), errs);
    subdomain(spec.nodeName(), path.child("nodeName"), errs);
    Long deadline = spec.activeDeadlineSeconds();
    if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
      errs.add(FieldError.invalid(path.child("activeDeadlineSeconds"), deadline,
          NameRules.inclusiveRange(1, Integer.MAX_VALUE)));
    }
    label(spec.hostname(), path.child("hostname"), errs);
    label(spec.subdomain(), path.child("subdomain"), errs);
    errs.addAll(SchedulingValidation.tolerations(spec.tolerationsOrEmpty(), path.child("tolerations")));
    subdomain(spec.priorityClassName(), path.child("priorityClassName"), errs);
    if (spec.runtimeClassName() != null) {
      NameRules.dns1123Subdomain(spec.runtimeClassName()).forEach(m ->
          errs.add(FieldError.invalid(path.child("runtimeClassName"), spec.runtimeClassName(), m)));
    }
    if (spec.preemptionPolicy() != null) {
      errs.addAll(ContainerValidation.oneOf(spec.preemptionPolicy(), PREEMPTION_POLICIES,
          path.child("preemptionPolicy")));
    }
    return errs;
  }

  /**
   * Names unique DNS labels; one source each. Only volumes without errors can be mounted (as upstream: a mount of
   * a broken volume also reports "Not found").
   */
  private static List<FieldError> volumes(List<Volume> vols, Set<String> valid, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; vols != null && i < vols.size(); i++) {
      Volume v = vols.get(i);
      FieldPath p = path.index(i);
      List<FieldError> el = new ArrayList<>(volumeSource(v, p));
      if (!MetaValidation.notEmpty(v.name())) {
        el.add(FieldError.required(p.child("name"), ""));
      } else {
        NameRules.dns1123Label(v.name()).forEach(m -> el.add(FieldError.invalid(p.child("name"), v.name(), m)));
      }
      if (names.contains(v.name())) {
        el.add(FieldError.duplicate(p.child("name"), v.name()));
      }
      if (el.isEmpty()) {
        names.add(v.name());
        valid.add(v.name());
      }
      errs.addAll(el);
    }
    return errs;
  }

  private static List<FieldError> volumeSource(Volume v, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    int sources = 0;
    Object[] present = {v.emptyDir(), v.hostPath(), v.secret(), v.persistentVolumeClaim(), v.downwardAPI(),
        v.projected(), v.configMap()};
    String[] names = {"emptyDir", "hostPath", "secret", "persistentVolumeClaim", "downwardAPI", "projected",
        "configMap"};
    for (int i = 0; i < present.length; i++) {
      if (present[i] == null) {
        continue;
      }
      if (sources++ > 0) {
        errs.add(FieldError.forbidden(p.child(names[i]), "may not specify more than 1 volume type"));
      } else if (present[i] instanceof HostPathVolumeSource h) {
        errs.addAll(hostPath(h, p.child("hostPath")));
      }
    }
    if (sources == 0) {
      errs.add(FieldError.required(p, "must specify a volume type"));
    }
    return errs;
  }

  private static List<FieldError> hostPath(HostPathVolumeSource h, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (!MetaValidation.notEmpty(h.path())) {
      errs.add(FieldError.required(p.child("path"), ""));
      return errs;
    }
    errs.addAll(noBacksteps(h.path(), p.child("path")));
    if (h.type() != null && !HOST_PATH_TYPES.contains(h.type())) {
      errs.add(FieldError.notSupported(p.child("type"), h.type(), HOST_PATH_TYPES));
    }
    return errs;
  }

  /** upstream validateLocalDescendingPath: relative, and never climbing out with "..". */
  static List<FieldError> localDescendingPath(String target, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (target.startsWith("/")) {
      errs.add(FieldError.invalid(path, target, "must be a relative path"));
    }
    errs.addAll(noBacksteps(target, path));
    return errs;
  }

  private static List<FieldError> noBacksteps(String target, FieldPath path) {
    for (String part : target.split("[/\\\\]")) {
      if (part.equals("..")) {
        return List.of(FieldError.invalid(path, target, "must not contain '..'"));
      }
    }
    return List.of();
  }

  /** With hostNetwork a hostPort must equal its containerPort; a template may leave it 0 (defaulted in the pod). */
  private static List<FieldError> hostNetworkPorts(PodSpec spec, boolean isPod, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (!spec.usesHostNetwork()) {
      return errs;
    }
    List<Container> containers = spec.containersOrEmpty();
    for (int i = 0; i < containers.size(); i++) {
      List<ContainerPort> ports = containers.get(i).ports() == null ? List.of() : containers.get(i).ports();
      for (int j = 0; j < ports.size(); j++) {
        int hp = ports.get(j).hostPort() == null ? 0 : ports.get(j).hostPort();
        int cp = ports.get(j).containerPort() == null ? 0 : ports.get(j).containerPort();
        if ((isPod || hp != 0) && hp != cp) {
          errs.add(FieldError.invalid(path.child("containers").index(i).child("ports").index(j).child("hostPort"), hp,
              "must match `containerPort` when `hostNetwork` is true"));
        }
      }
    }
    return errs;
  }

  private static void subdomain(String value, FieldPath path, List<FieldError> errs) {
    if (MetaValidation.notEmpty(value)) {
      NameRules.dns1123Subdomain(value).forEach(m -> errs.add(FieldError.invalid(path, value, m)));
    }
  }

  private static void label(String value, FieldPath path, List<FieldError> errs) {
    if (MetaValidation.notEmpty(value)) {
      NameRules.dns1123Label(value).forEach(m -> errs.add(FieldError.invalid(path, value, m)));
    }
  }
}
