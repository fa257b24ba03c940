package io.daemonset.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * upstream's core/v1 defaulting (pkg/apis/core/v1/defaults.go and the generated defaulters) for pod templates and
 * pods. Pure: returns new records, never changes its input; applying it twice gives the same result.
 */
public final class PodDefaults {
  public static final long TERMINATION_GRACE_PERIOD_SECONDS = 30;
  public static final String DEFAULT_SCHEDULER = "default-scheduler";
  public static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
  /** 0644, the default file mode of configMap, secret, downwardAPI and projected volumes. */
  public static final int DEFAULT_VOLUME_MODE = 420;

  private PodDefaults() {}

  /** A template always has a spec upstream (it is a struct there), so an absent one is defaulted like an empty one. */
  public static PodTemplateSpec template(PodTemplateSpec template) {
    PodTemplateSpec t = template != null ? template : new PodTemplateSpec(null, null);
    return t.withSpec(podSpec(t.spec()));
  }

  /** SetDefaults_PodSpec plus the defaults of everything a PodSpec contains. */
  public static PodSpec podSpec(PodSpec podSpec) {
    PodSpec s = podSpec != null ? podSpec : PodSpec.of(null);
    return new PodSpec(map(s.containers(), PodDefaults::container), map(s.initContainers(), PodDefaults::container),
        map(s.volumes(), PodDefaults::volume), s.nodeSelector(), s.affinity(), s.tolerations(), s.nodeName(),
        s.hostNetwork(), s.hostPID(), s.hostIPC(),
        or(s.terminationGracePeriodSeconds(), TERMINATION_GRACE_PERIOD_SECONDS), s.activeDeadlineSeconds(),
        orEmpty(s.restartPolicy(), "Always"), orEmpty(s.dnsPolicy(), "ClusterFirst"), s.serviceAccountName(),
        s.serviceAccount(), s.automountServiceAccountToken(), orEmpty(s.schedulerName(), DEFAULT_SCHEDULER),
        s.priorityClassName(), s.priority(), s.hostname(), s.subdomain(),
        s.securityContext() != null ? s.securityContext() : JsonNodeFactory.instance.objectNode(),
        s.imagePullSecrets(), s.dnsConfig(), s.hostAliases(), s.topologySpreadConstraints(), s.readinessGates(),
        s.runtimeClassName(), s.enableServiceLinks(), s.shareProcessNamespace(), s.preemptionPolicy(), s.os());
  }

  /**
   * SetDefaults_Container and its generated parts: pull policy from the image tag, termination message, port
   * protocol, probe defaults, env fieldRef apiVersion, resource quantities rounded up to milli-units.
   */
  public static Container container(Container c) {
    return new Container(c.name(), c.image(), c.command(), c.args(), c.workingDir(), map(c.env(), PodDefaults::env),
        c.envFrom(), map(c.ports(), PodDefaults::port), resources(c.resources()), probe(c.readinessProbe()),
        probe(c.livenessProbe()), probe(c.startupProbe()), c.volumeMounts(),
        orEmpty(c.imagePullPolicy(), pullPolicy(c.image())), c.securityContext(), c.lifecycle(),
        orEmpty(c.terminationMessagePath(), TERMINATION_MESSAGE_PATH), orEmpty(c.terminationMessagePolicy(), "File"),
        c.stdin(), c.tty());
  }

  /** Always when the tag is "latest" or there is no tag and no digest (docker then pulls latest), else IfNotPresent. */
  public static String pullPolicy(String image) {
    if (image == null || image.isEmpty()) {
      return "IfNotPresent";
    }
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int colon = image.lastIndexOf(':');
    String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    return tag.equals("latest") ? "Always" : "IfNotPresent";
  }

  /** SetDefaults_Probe and SetDefaults_HTTPGetAction. */
  public static Probe probe(Probe p) {
    if (p == null) {
      return null;
    }
    HttpGetAction h = p.httpGet();
    HttpGetAction http = h == null ? null
        : new HttpGetAction(orEmpty(h.path(), "/"), h.port(), h.host(), orEmpty(h.scheme(), "HTTP"), h.httpHeaders());
    return new Probe(p.exec(), http, p.tcpSocket(), p.initialDelaySeconds(), positiveOr(p.periodSeconds(), 10),
        positiveOr(p.timeoutSeconds(), 1), positiveOr(p.successThreshold(), 1), positiveOr(p.failureThreshold(), 3),
        p.terminationGracePeriodSeconds());
  }

  /**
   * SetDefaults_Pod, for Pod objects only (not templates): requests default to limits, service links on,
   * and with hostNetwork each hostPort defaults to its containerPort. Also the "default" namespace.
   */
  public static Pod pod(Pod pod) {
    PodSpec s = podSpec(pod.spec());
    boolean hostNetwork = s.usesHostNetwork();
    UnaryOperator<Container> podOnly = c -> withPodOnlyDefaults(c, hostNetwork);
    PodSpec spec = new PodSpec(map(s.containers(), podOnly), map(s.initContainers(), podOnly), s.volumes(),
        s.nodeSelector(), s.affinity(), s.tolerations(), s.nodeName(), s.hostNetwork(), s.hostPID(), s.hostIPC(),
        s.terminationGracePeriodSeconds(), s.activeDeadlineSeconds(), s.restartPolicy(), s.dnsPolicy(),
        s.serviceAccountName(), s.serviceAccount(), s.automountServiceAccountToken(), s.schedulerName(),
        s.priorityClassName(), s.priority(), s.hostname(), s.subdomain(), s.securityContext(), s.imagePullSecrets(),
        s.dnsConfig(), s.hostAliases(), s.topologySpreadConstraints(), s.readinessGates(), s.runtimeClassName(),
        or(s.enableServiceLinks(), Boolean.TRUE), s.shareProcessNamespace(), s.preemptionPolicy(), s.os());
    return pod.withMetadata(defaultNamespace(pod.metadata())).withSpec(spec);
  }

  /** Namespaced objects sent without a namespace land in "default" (kube-apiserver takes it from the URL). */
  public static ObjectMeta defaultNamespace(ObjectMeta meta) {
    ObjectMeta m = meta != null ? meta : ObjectMeta.named(null, null);
    return m.namespace() == null || m.namespace().isEmpty() ? m.withNamespace("default") : m;
  }

  /** SetDefaults_Volume: no source means emptyDir; hostPath type ""; file modes 0644 for projected-file sources. */
  static Volume volume(Volume v) {
    boolean none = v.hostPath() == null && v.emptyDir() == null && v.configMap() == null && v.secret() == null
        && v.projected() == null && v.downwardAPI() == null && v.persistentVolumeClaim() == null;
    HostPathVolumeSource hp = v.hostPath() == null || v.hostPath().type() != null ? v.hostPath()
        : new HostPathVolumeSource(v.hostPath().path(), "");
    return new Volume(v.name(), hp, none ? JsonNodeFactory.instance.objectNode() : v.emptyDir(),
        withField(v.configMap(), "defaultMode", DEFAULT_VOLUME_MODE), withField(v.secret(), "defaultMode",
        DEFAULT_VOLUME_MODE), withField(v.projected(), "defaultMode", DEFAULT_VOLUME_MODE),
        withField(v.downwardAPI(), "defaultMode", DEFAULT_VOLUME_MODE), v.persistentVolumeClaim());
  }

  private static Container withPodOnlyDefaults(Container c, boolean hostNetwork) {
    Container out = c;
    ResourceRequirements r = c.resources();
    if (r != null && r.limits() != null) {
      Map<String, Quantity> requests = new LinkedHashMap<>(r.requestsOrEmpty());
      r.limits().forEach(requests::putIfAbsent);
      out = out.withResources(new ResourceRequirements(r.limits(), requests));
    }
    if (hostNetwork && c.ports() != null) {
      out = out.withPorts(map(c.ports(), p -> p.hostPort() == null || p.hostPort() == 0
          ? new ContainerPort(p.name(), p.containerPort(), p.containerPort(), p.hostIP(), p.protocol()) : p));
    }
    return out;
  }

  private static ContainerPort port(ContainerPort p) {
    return new ContainerPort(p.name(), p.containerPort(), p.hostPort(), p.hostIP(), orEmpty(p.protocol(), "TCP"));
  }

  private static EnvVar env(EnvVar e) {
    JsonNode from = e.valueFrom();
    if (from != null && from.path("fieldRef").isObject() && !from.path("fieldRef").has("apiVersion")) {
      ObjectNode copy = from.deepCopy();
      ((ObjectNode) copy.get("fieldRef")).put("apiVersion", "v1");
      return new EnvVar(e.name(), e.value(), copy);
    }
    return e;
  }

  /** SetDefaults_ResourceList: values finer than a milli-unit are rounded up to one ("0.0001" becomes "1m"). */
  private static ResourceRequirements resources(ResourceRequirements r) {
    return r == null ? null : new ResourceRequirements(roundUpToMilli(r.limits()), roundUpToMilli(r.requests()));
  }

  private static Map<String, Quantity> roundUpToMilli(Map<String, Quantity> list) {
    if (list == null) {
      return null;
    }
    Map<String, Quantity> out = new LinkedHashMap<>();
    list.forEach((k, q) -> out.put(k, q == null || q.value().stripTrailingZeros().scale() <= 3 ? q
        : Quantity.of(q.value().setScale(3, RoundingMode.UP))));
    return out;
  }

  private static JsonNode withField(JsonNode node, String field, int value) {
    if (node == null || !node.isObject() || node.has(field)) {
      return node;
    }
    ObjectNode copy = node.deepCopy();
    copy.put(field, value);
    return copy;
  }

  private static <T> List<T> map(List<T> list, UnaryOperator<T> f) {
    if (list == null) {
      return null;
    }
    List<T> out = new ArrayList<>(list.size());
    list.forEach(x -> out.add(x == null ? null : f.apply(x)));
    return out;
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static String orEmpty(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** Probe fields are plain ints upstream: 0 means unset and takes the default. */
  private static Integer positiveOr(Integer value, int fallback) {
    return value == null || value == 0 ? fallback : value;
  }
}
