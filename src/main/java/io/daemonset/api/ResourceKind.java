package io.daemonset.api;

import io.daemonset.model.ConfigMap;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.Namespace;
import io.daemonset.model.Secret;
import io.daemonset.model.ServiceAccount;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.Event;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.ObjectReference;
import io.daemonset.model.Pod;
import io.daemonset.placement.FieldSelector;
import io.daemonset.view.KubeObjects;
import io.daemonset.view.ObjectIndex;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the routes need to know about each served resource beyond discovery: its index in the view, its kind, its
 * scope and its selectable fields (upstream's GetAttrs / field label conversion).
 */
enum ResourceKind {
  DAEMONSETS(ObjectIndex.DAEMONSETS, DaemonSet.KIND, true,
      o -> FieldSelector.daemonSetFields((DaemonSet) o)),
  NODES(ObjectIndex.NODES, Node.KIND, false, o -> FieldSelector.nodeFields((Node) o)),
  PODS(ObjectIndex.PODS, Pod.KIND, true, o -> FieldSelector.podFields((Pod) o)),
  CONTROLLER_REVISIONS(ObjectIndex.REVISIONS, ControllerRevision.KIND, true, o -> metaFields(KubeObjects.metadata(o))),
  EVENTS(ObjectIndex.EVENTS, "Event", true, o -> eventFields((Event) o)),
  NAMESPACES(ObjectIndex.NAMESPACES, Namespace.KIND, false, o -> namespaceFields((Namespace) o)),
  CONFIGMAPS(ObjectIndex.CONFIGMAPS, ConfigMap.KIND, true, o -> metaFields(KubeObjects.metadata(o))),
  SECRETS(ObjectIndex.SECRETS, Secret.KIND, true, o -> secretFields((Secret) o)),
  SERVICEACCOUNTS(ObjectIndex.SERVICEACCOUNTS, ServiceAccount.KIND, true, o -> metaFields(KubeObjects.metadata(o)));

  final String resource;
  final String kind;
  final boolean namespaced;
  private final Function<Object, Map<String, String>> fields;
  private final Set<String> fieldNames;

  ResourceKind(String resource, String kind, boolean namespaced, Function<Object, Map<String, String>> fields) {
    this.resource = resource;
    this.kind = kind;
    this.namespaced = namespaced;
    this.fields = fields;
    this.fieldNames = Set.copyOf(fields.apply(sample(resource)).keySet());
  }

  static Optional<ResourceKind> of(String resource) {
    return Arrays.stream(values()).filter(k -> k.resource.equals(resource)).findFirst();
  }

  Map<String, String> fields(Object object) {
    return fields.apply(object);
  }

  /** The field labels a field selector may use on this resource. */
  Set<String> fieldNames() {
    return fieldNames;
  }

  String listKind() {
    return kind + "List";
  }

  private static Map<String, String> metaFields(ObjectMeta meta) {
    Map<String, String> f = new TreeMap<>();
    f.put("metadata.name", meta == null || meta.name() == null ? "" : meta.name());
    f.put("metadata.namespace", meta == null || meta.namespace() == null ? "" : meta.namespace());
    return Collections.unmodifiableMap(f);
  }

  /** upstream's event field labels (pkg/registry/core/event/strategy.go ToSelectableFields). */
  private static Map<String, String> eventFields(Event e) {
    Map<String, String> f = new TreeMap<>(metaFields(e.metadata()));
    ObjectReference o = e.involvedObject() == null
        ? new ObjectReference(null, null, null, null, null, null, null) : e.involvedObject();
    f.put("involvedObject.kind", nz(o.kind()));
    f.put("involvedObject.namespace", nz(o.namespace()));
    f.put("involvedObject.name", nz(o.name()));
    f.put("involvedObject.uid", nz(o.uid()));
    f.put("involvedObject.apiVersion", nz(o.apiVersion()));
    f.put("involvedObject.resourceVersion", nz(o.resourceVersion()));
    f.put("involvedObject.fieldPath", nz(o.fieldPath()));
    f.put("reason", nz(e.reason()));
    f.put("reportingComponent", nz(e.reportingComponent()));
    f.put("source", e.source() == null ? "" : nz(e.source().component()));
    f.put("type", nz(e.type()));
    return Collections.unmodifiableMap(f);
  }

  /** upstream's namespace field labels: name and status.phase. */
  private static Map<String, String> namespaceFields(Namespace ns) {
    Map<String, String> f = new TreeMap<>(metaFields(ns.metadata()));
    f.put("status.phase", ns.status() == null ? "" : nz(ns.status().phase()));
    return Collections.unmodifiableMap(f);
  }

  /** upstream's secret field labels: type besides name and namespace. */
  private static Map<String, String> secretFields(Secret s) {
    Map<String, String> f = new TreeMap<>(metaFields(s.metadata()));
    f.put("type", nz(s.type()));
    return Collections.unmodifiableMap(f);
  }

  /** Whether the kind is one of the plain objects the generic entity keeps. */
  boolean plain() {
    return io.daemonset.model.PlainKind.of(resource).isPresent();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** An empty object of the resource, to learn its field labels once. */
  private static Object sample(String resource) {
    ObjectMeta meta = ObjectMeta.named("", "");
    return switch (resource) {
      case ObjectIndex.DAEMONSETS -> new DaemonSet(null, null, meta, null, null);
      case ObjectIndex.NODES -> new Node(null, null, meta, null, null);
      case ObjectIndex.PODS -> new Pod(null, null, meta, null, null);
      case ObjectIndex.REVISIONS -> new ControllerRevision(null, null, meta, null, 0);
      case "namespaces" -> new Namespace(null, null, meta, null, null);
      case "configmaps" -> new ConfigMap(null, null, meta, null, null, null);
      case "secrets" -> new Secret(null, null, meta, null, null, null, null);
      case "serviceaccounts" -> new ServiceAccount(null, null, meta, null, null, null);
      default -> new Event(null, null, meta, null, null, null, null, null, null, null, null, null, null);
    };
  }
}
