package io.daemonset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.ConfigMap;
import io.daemonset.model.Container;
import io.daemonset.model.Namespace;
import io.daemonset.model.Secret;
import io.daemonset.model.ServiceAccount;
import io.daemonset.model.ContainerState;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.RollingUpdateDaemonSet;
import io.daemonset.model.UnavailableCounts;
import io.daemonset.model.Event;
import io.daemonset.model.Json;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.LabelSelectorRequirement;
import io.daemonset.model.ListMeta;
import io.daemonset.model.Node;
import io.daemonset.model.NodeAddress;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.NodeSystemInfo;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.model.PodCondition;
import io.daemonset.model.PodSpec;
import io.daemonset.model.PodStatus;
import io.daemonset.model.Table;
import io.daemonset.model.Table.Column;
import io.daemonset.model.Table.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Server-side Tables with the columns and cells of kube-apiserver's printers (pkg/printers/internalversion):
 * every column, wide ones (priority 1) included, as the server always sends them; kubectl hides priority 1
 * unless -o wide. Ages are cells of type string computed at {@code now}, as upstream's translateTimestampSince.
 * Each row's object is a PartialObjectMetadata by default (includeObject=Metadata), the whole object with
 * includeObject=Object, none with includeObject=None. Pure functions.
 */
public final class Tables {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String NONE = "<none>";

  /** The includeObject query parameter. */
  public enum IncludeObject {
    NONE, METADATA, OBJECT;

    /** "None", "Metadata", "Object"; absent or unknown means Metadata (the default). */
    public static IncludeObject parse(String value) {
      if (value == null) {
        return METADATA;
      }
      return switch (value) {
        case "None" -> NONE;
        case "Object" -> OBJECT;
        default -> METADATA;
      };
    }
  }

  static final List<Column> DAEMONSET_COLUMNS = List.of(
      nameColumn(),
      column("Desired", "integer", "The total number of nodes that should be running the daemon pod.", 0),
      column("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to "
          + "run the daemon pod.", 0),
      column("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of "
          + "the daemon pod running and ready.", 0),
      column("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod", 0),
      column("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more "
          + "of the daemon pod running and available (ready for at least spec.minReadySeconds)", 0),
      column("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node.",
          0),
      ageColumn(),
      column("Containers", "string", "Names of each container in the template.", 1),
      column("Images", "string", "Images referenced by each container in the template.", 1),
      column("Selector", "string", "A label query over pods that are managed by the daemon set.", 1),
      // Ours, after upstream's (issue 11): wide only, so that plain `kubectl get ds` stays upstream's.
      column("Rollout", "string", "The rollout's phase (Complete, Progressing, Paused, Frozen, Canary, Failed) when "
          + "the DaemonSet uses a rollout control upstream lacks.", 1),
      column("Paused", "string", "spec.updateStrategy.rollingUpdate.paused (or frozen: spec.frozen).", 1),
      column("Partition", "integer", "spec.updateStrategy.rollingUpdate.partition: pods kept on the old revision.", 1),
      column("Unavailable", "string", "Unavailable pods by cause: rollout (new pod not ready), crash (crash-looping), "
          + "node (NotReady or unreachable), room (no room on the node).", 1));

  static final List<Column> NODE_COLUMNS = List.of(
      nameColumn(),
      column("Status", "string", "The status of the node", 0),
      column("Roles", "string", "The roles of the node", 0),
      ageColumn(),
      column("Version", "string", "Kubelet Version reported by the node.", 0),
      column("Internal-IP", "string", "List of addresses reachable to the node.", 1),
      column("External-IP", "string", "List of addresses reachable to the node.", 1),
      column("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
          + "(wheezy)).", 1),
      column("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r'.", 1),
      column("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote "
          + "API (e.g. containerd://1.4.2).", 1));

  static final List<Column> POD_COLUMNS = List.of(
      nameColumn(),
      column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic.", 0),
      column("Status", "string", "The aggregate status of the containers in this pod.", 0),
      column("Restarts", "string", "The number of times the containers in this pod have been restarted and when the "
          + "last container in this pod has restarted.", 0),
      ageColumn(),
      column("IP", "string", "IP address allocated to the pod.", 1),
      column("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
      column("Nominated Node", "string", "nominatedNodeName is set when this pod preempts other pods on the node.", 1),
      column("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1));

  static final List<Column> CONTROLLER_REVISION_COLUMNS = List.of(
      nameColumn(),
      column("Controller", "string", "Controller of the object", 0),
      column("Revision", "integer", "Revision indicates the revision of the state represented by Data.", 0),
      ageColumn());

  static final List<Column> EVENT_COLUMNS = List.of(
      column("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded.", 0),
      column("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future", 0),
      column("Reason", "string", "This should be a short, machine understandable string that gives the reason for "
          + "the transition into the object's current status.", 0),
      column("Object", "string", "The object that this event is about.", 0),
      column("Subobject", "string", "The field of the object that this event is about.", 1),
      column("Source", "string", "The component reporting this event.", 1),
      column("Message", "string", "A human-readable description of the status of this operation.", 0),
      column("First Seen", "string", "The time at which the event was first recorded.", 1),
      column("Count", "string", "The number of times this event has occurred.", 1),
      new Column("Name", "string", "name", "Name must be unique within a namespace.", 1));

  static final List<Column> NAMESPACE_COLUMNS = List.of(nameColumn(),
      column("Status", "string", "The status of the namespace", 0), ageColumn());
  static final List<Column> CONFIGMAP_COLUMNS = List.of(nameColumn(),
      column("Data", "string", "Data contains the configuration data.", 0), ageColumn());
  static final List<Column> SECRET_COLUMNS = List.of(nameColumn(),
      column("Type", "string", "The type of data stored in the secret", 0),
      column("Data", "string", "The total number of data stored in the secret", 0), ageColumn());
  static final List<Column> SERVICEACCOUNT_COLUMNS = List.of(nameColumn(),
      column("Secrets", "string", "Secrets is the list of secrets allowed to be used by pods running using this "
          + "ServiceAccount.", 0), ageColumn());

  private Tables() {}

  /** Dispatches on the plural resource name: daemonsets, nodes, pods, controllerrevisions, events. */
  @SuppressWarnings("unchecked")
  public static Table forResource(String resource, List<?> items, ListMeta meta, Instant now, IncludeObject include) {
    return switch (resource) {
      case "daemonsets" -> daemonSets((List<DaemonSet>) items, meta, now, include);
      case "nodes" -> nodes((List<Node>) items, meta, now, include);
      case "pods" -> pods((List<Pod>) items, meta, now, include);
      case "controllerrevisions" -> controllerRevisions((List<ControllerRevision>) items, meta, now, include);
      case "events" -> events((List<Event>) items, meta, now, include);
      case "namespaces" -> table(meta, NAMESPACE_COLUMNS, (List<Namespace>) items, ns -> List.of(name(ns.metadata()),
          ns.status() == null ? "" : nz(ns.status().phase()), age(created(ns.metadata()), now)), Namespace::metadata,
          include);
      case "configmaps" -> table(meta, CONFIGMAP_COLUMNS, (List<ConfigMap>) items, c -> List.of(name(c.metadata()),
          (long) (c.dataOrEmpty().size() + c.binaryDataOrEmpty().size()), age(created(c.metadata()), now)),
          ConfigMap::metadata, include);
      case "secrets" -> table(meta, SECRET_COLUMNS, (List<Secret>) items, x -> List.of(name(x.metadata()),
          nz(x.type()), (long) x.dataOrEmpty().size(), age(created(x.metadata()), now)), Secret::metadata, include);
      case "serviceaccounts" -> table(meta, SERVICEACCOUNT_COLUMNS, (List<ServiceAccount> ) items,
          sa -> List.of(name(sa.metadata()), (long) (sa.secrets() == null ? 0 : sa.secrets().size()),
              age(created(sa.metadata()), now)), ServiceAccount::metadata, include);
      default -> throw new IllegalArgumentException("no table for " + resource);
    };
  }

  public static Table daemonSets(List<DaemonSet> items, ListMeta meta, Instant now, IncludeObject include) {
    return table(meta, DAEMONSET_COLUMNS, items, ds -> daemonSetCells(ds, now), DaemonSet::metadata, include);
  }

  public static Table nodes(List<Node> items, ListMeta meta, Instant now, IncludeObject include) {
    return table(meta, NODE_COLUMNS, items, n -> nodeCells(n, now), Node::metadata, include);
  }

  public static Table pods(List<Pod> items, ListMeta meta, Instant now, IncludeObject include) {
    return table(meta, POD_COLUMNS, items, p -> podCells(p, now), Pod::metadata, include);
  }

  public static Table controllerRevisions(List<ControllerRevision> items, ListMeta meta, Instant now,
                                          IncludeObject include) {
    return table(meta, CONTROLLER_REVISION_COLUMNS, items, cr -> List.of(name(cr.metadata()),
        controllerOf(cr.metadata()), cr.revision(), age(created(cr.metadata()), now)), ControllerRevision::metadata,
        include);
  }

  public static Table events(List<Event> items, ListMeta meta, Instant now, IncludeObject include) {
    return table(meta, EVENT_COLUMNS, items, e -> eventCells(e, now), Event::metadata, include);
  }

  static List<Object> daemonSetCells(DaemonSet ds, Instant now) {
    DaemonSetStatus status = ds.status() == null ? DaemonSetStatus.EMPTY : ds.status();
    PodSpec podSpec = ds.spec() == null || ds.spec().template() == null ? null : ds.spec().template().spec();
    List<Container> containers = podSpec == null ? List.of() : podSpec.containersOrEmpty();
    return List.of(name(ds.metadata()), status.desiredNumberScheduled(), status.currentNumberScheduled(),
        status.numberReady(), status.updatedNumberScheduled(), status.numberAvailable(),
        formatLabels(podSpec == null ? Map.of() : podSpec.nodeSelectorOrEmpty()), age(created(ds.metadata()), now),
        String.join(",", containers.stream().map(c -> nz(c.name())).toList()),
        String.join(",", containers.stream().map(c -> nz(c.image())).toList()),
        formatLabelSelector(ds.spec() == null ? null : ds.spec().selector()),
        status.rollout() == null || status.rollout().phase() == null ? NONE : status.rollout().phase(),
        pausedCell(ds), ds.spec() == null || rollingUpdate(ds) == null ? 0 : rollingUpdate(ds).partitionOrZero(),
        unavailableCell(status));
  }

  private static RollingUpdateDaemonSet rollingUpdate(DaemonSet ds) {
    return ds.spec().updateStrategy() == null ? null : ds.spec().updateStrategy().rollingUpdate();
  }

  private static String pausedCell(DaemonSet ds) {
    if (ds.spec() == null) {
      return "false";
    }
    if (ds.spec().isFrozen()) {
      return "frozen";
    }
    return String.valueOf(rollingUpdate(ds) != null && rollingUpdate(ds).isPaused());
  }

  /** "rollout:1,crash:2,node:1,room:0" when the breakdown is known, else the bare count. */
  private static String unavailableCell(DaemonSetStatus status) {
    UnavailableCounts u = status.rollout() == null ? null : status.rollout().unavailable();
    if (u == null) {
      return String.valueOf(status.numberUnavailable());
    }
    return "rollout:" + u.rollout() + ",crash:" + u.crashLooping() + ",node:" + u.nodeNotReady() + ",room:"
        + u.noRoom();
  }

  static List<Object> nodeCells(Node node, Instant now) {
    NodeStatus status = node.status();
    List<NodeCondition> conditions = status == null ? List.of() : status.conditionsOrEmpty();
    List<String> states = new ArrayList<>();
    conditions.stream().filter(c -> "Ready".equals(c.type())).findFirst()
        .ifPresent(c -> states.add("True".equals(c.status()) ? "Ready" : "NotReady"));
    if (states.isEmpty()) {
      states.add("Unknown");
    }
    if (node.spec() != null && node.spec().isUnschedulable()) {
      states.add("SchedulingDisabled");
    }
    TreeSet<String> roles = new TreeSet<>();
    ObjectMeta meta = node.metadata();
    Map<String, String> labels = meta == null ? Map.of() : meta.labelsOrEmpty();
    labels.forEach((k, v) -> {
      if (k.startsWith("node-role.kubernetes.io/") && k.length() > "node-role.kubernetes.io/".length()) {
        roles.add(k.substring("node-role.kubernetes.io/".length()));
      } else if (k.equals("kubernetes.io/role") && !v.isEmpty()) {
        roles.add(v);
      }
    });
    NodeSystemInfo info = status == null ? null : status.nodeInfo();
    List<NodeAddress> addresses = status == null || status.addresses() == null ? List.of() : status.addresses();
    return List.of(name(meta), String.join(",", states), roles.isEmpty() ? NONE : String.join(",", roles),
        age(created(meta), now), info == null ? "" : nz(info.kubeletVersion()),
        address(addresses, "InternalIP"), address(addresses, "ExternalIP"),
        orUnknown(info == null ? null : info.osImage()), orUnknown(info == null ? null : info.kernelVersion()),
        orUnknown(info == null ? null : info.containerRuntimeVersion()));
  }

  /** Upstream's printPod for regular containers: READY counts ready+running, STATUS the most telling reason. */
  static List<Object> podCells(Pod pod, Instant now) {
    PodSpec spec = pod.spec();
    PodStatus status = pod.status();
    int totalContainers = spec == null ? 0 : spec.containersOrEmpty().size();
    String phase = status == null || status.phase() == null ? "" : status.phase();
    String reason = status != null && status.reason() != null && !status.reason().isEmpty() ? status.reason() : phase;
    List<PodCondition> conditions = status == null ? List.of() : status.conditionsOrEmpty();
    for (PodCondition c : conditions) {
      if ("PodScheduled".equals(c.type()) && "SchedulingGated".equals(c.reason())) {
        reason = "SchedulingGated";
      }
    }
    int restarts = 0;
    int ready = 0;
    Instant lastRestart = null;
    boolean hasRunning = false;
    // upstream's printPod: the first init container that has not completed names the status while initializing
    boolean initializing = false;
    List<ContainerStatus> inits = status == null || status.initContainerStatuses() == null ? List.of()
        : status.initContainerStatuses();
    int initCount = spec == null || spec.initContainers() == null ? 0 : spec.initContainers().size();
    for (int i = 0; i < inits.size(); i++) {
      ContainerStatus cs = inits.get(i);
      restarts += cs.restartCount();
      lastRestart = laterRestart(lastRestart, cs);
      ContainerState state = cs.state() == null ? new ContainerState(null, null, null) : cs.state();
      if (state.terminated() != null && Integer.valueOf(0).equals(state.terminated().exitCode())) {
        continue;
      }
      if (state.terminated() != null) {
        Integer signal = state.terminated().signal();
        reason = !isEmpty(state.terminated().reason()) ? "Init:" + state.terminated().reason()
            : signal != null && signal != 0 ? "Init:Signal:" + signal
            : "Init:ExitCode:" + (state.terminated().exitCode() == null ? 0 : state.terminated().exitCode());
      } else if (state.waiting() != null && !isEmpty(state.waiting().reason())
          && !"PodInitializing".equals(state.waiting().reason())) {
        reason = "Init:" + state.waiting().reason();
      } else {
        reason = "Init:" + i + "/" + initCount;
      }
      initializing = true;
      break;
    }
    boolean initialized = conditions.stream().anyMatch(c -> "Initialized".equals(c.type())
        && "True".equals(c.status()));
    List<ContainerStatus> statuses = status == null || status.containerStatuses() == null
        || (initializing && !initialized) ? List.of() : status.containerStatuses();
    if (!initializing || initialized) {
      restarts = 0;
      lastRestart = null;
    }
    for (int i = statuses.size() - 1; i >= 0; i--) {
      ContainerStatus cs = statuses.get(i);
      restarts += cs.restartCount();
      lastRestart = laterRestart(lastRestart, cs);
      ContainerState state = cs.state() == null ? new ContainerState(null, null, null) : cs.state();
      if (state.waiting() != null && state.waiting().reason() != null && !state.waiting().reason().isEmpty()) {
        reason = state.waiting().reason();
      } else if (state.terminated() != null && state.terminated().reason() != null
          && !state.terminated().reason().isEmpty()) {
        reason = state.terminated().reason();
      } else if (state.terminated() != null) {
        Integer signal = state.terminated().signal();
        reason = signal != null && signal != 0 ? "Signal:" + signal
            : "ExitCode:" + (state.terminated().exitCode() == null ? 0 : state.terminated().exitCode());
      } else if (cs.ready() && state.running() != null) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason.equals("Completed") && hasRunning) {
      reason = PodStatus.isReady(status) ? "Running" : "NotReady";
    }
    ObjectMeta meta = pod.metadata();
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    if (meta != null && meta.deletionTimestamp() != null && status != null && "NodeLost".equals(status.reason())) {
      reason = "Unknown";
    } else if (meta != null && meta.deletionTimestamp() != null && !terminal) {
      reason = "Terminating";
    }
    String restartText = restarts != 0 && lastRestart != null
        ? restarts + " (" + age(lastRestart, now) + " ago)" : Integer.toString(restarts);
    String podIp = status == null || status.podIP() == null || status.podIP().isEmpty() ? NONE : status.podIP();
    String nodeName = spec == null || spec.nodeName() == null || spec.nodeName().isEmpty() ? NONE : spec.nodeName();
    return List.of(name(meta), ready + "/" + totalContainers, reason, restartText, age(created(meta), now), podIp,
        nodeName, NONE, readinessGates(spec, conditions));
  }

  static List<Object> eventCells(Event e, Instant now) {
    String first = age(e.firstTimestamp(), now);
    String last = e.lastTimestamp() == null ? first : age(e.lastTimestamp(), now);
    int count = e.count() == null || e.count() == 0 ? 1 : e.count();
    var involved = e.involvedObject();
    String kind = involved == null || involved.kind() == null ? "" : involved.kind().toLowerCase(Locale.ROOT);
    String target = involved != null && involved.name() != null && !involved.name().isEmpty()
        ? kind + "/" + involved.name() : kind;
    String component = e.source() == null || isEmpty(e.source().component()) ? nz(e.reportingComponent())
        : e.source().component();
    String instance = e.source() == null || isEmpty(e.source().host()) ? nz(e.reportingInstance()) : e.source().host();
    String source = instance.isEmpty() ? component : component + ", " + instance;
    return List.of(last, nz(e.type()), nz(e.reason()), target,
        involved == null ? "" : nz(involved.fieldPath()), source, nz(e.message()).strip(), first, (long) count,
        name(e.metadata()));
  }

  /** translateTimestampSince: "&lt;unknown&gt;" for no timestamp, else HumanDuration(now - t). */
  public static String age(Instant timestamp, Instant now) {
    if (timestamp == null) {
      return "<unknown>";
    }
    return humanDuration(Duration.between(timestamp, now));
  }

  /** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
  public static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  /** labels.Set.String(): sorted k=v joined by commas; "&lt;none&gt;" when empty (FormatLabels). */
  static String formatLabels(Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return NONE;
    }
    List<String> pairs = new ArrayList<>();
    new TreeMap<>(labels).forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join(",", pairs);
  }

  /** metav1.FormatLabelSelector: requirements sorted by key; "&lt;none&gt;" for no requirements. */
  static String formatLabelSelector(LabelSelector selector) {
    if (selector == null) {
      return NONE;
    }
    record Req(String key, String text) {}
    List<Req> reqs = new ArrayList<>();
    selector.matchLabelsOrEmpty().forEach((k, v) -> reqs.add(new Req(k, k + "=" + v)));
    for (LabelSelectorRequirement r : selector.matchExpressionsOrEmpty()) {
      List<String> values = r.valuesOrEmpty().stream().sorted().toList();
      String text = switch (r.operator() == null ? "" : r.operator()) {
        case "In" -> r.key() + " in (" + String.join(",", values) + ")";
        case "NotIn" -> r.key() + " notin (" + String.join(",", values) + ")";
        case "Exists" -> r.key();
        case "DoesNotExist" -> "!" + r.key();
        default -> "<error>";
      };
      reqs.add(new Req(r.key(), text));
    }
    if (reqs.isEmpty()) {
      return NONE;
    }
    reqs.sort(Comparator.comparing(Req::key));
    return String.join(",", reqs.stream().map(Req::text).toList());
  }

  /** "daemonset.apps/fluentd" for the controller owner reference, "&lt;none&gt;" without one. */
  static String controllerOf(ObjectMeta meta) {
    if (meta == null) {
      return NONE;
    }
    for (OwnerReference ref : meta.ownerReferencesOrEmpty()) {
      if (ref.isController()) {
        String apiVersion = nz(ref.apiVersion());
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String groupKind = group.isEmpty() ? nz(ref.kind()) : ref.kind() + "." + group;
        return groupKind.toLowerCase(Locale.ROOT) + "/" + ref.name();
      }
    }
    return NONE;
  }

  private static String readinessGates(PodSpec spec, List<PodCondition> conditions) {
    JsonNode gates = spec == null ? null : spec.readinessGates();
    if (gates == null || !gates.isArray() || gates.isEmpty()) {
      return NONE;
    }
    int trueConditions = 0;
    for (JsonNode gate : gates) {
      String type = gate.path("conditionType").asText();
      for (PodCondition c : conditions) {
        if (type.equals(c.type())) {
          if ("True".equals(c.status())) {
            trueConditions++;
          }
          break;
        }
      }
    }
    return trueConditions + "/" + gates.size();
  }

  private static <T> Table table(ListMeta meta, List<Column> columns, List<T> items, Function<T, List<Object>> cells,
                                 Function<T, ObjectMeta> metadata, IncludeObject include) {
    List<Row> rows = new ArrayList<>(items.size());
    for (T item : items) {
      rows.add(new Row(cells.apply(item), rowObject(item, metadata.apply(item), include)));
    }
    return Table.of(meta == null ? new ListMeta(null, null, null) : meta, columns, rows);
  }

  private static JsonNode rowObject(Object item, ObjectMeta meta, IncludeObject include) {
    return switch (include) {
      case NONE -> null;
      case OBJECT -> Json.tree(item);
      case METADATA -> {
        ObjectNode partial = F.objectNode();
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.put("kind", "PartialObjectMetadata");
        partial.set("metadata", meta == null ? F.objectNode() : Json.tree(meta));
        yield partial;
      }
    };
  }

  private static String address(List<NodeAddress> addresses, String type) {
    return addresses.stream().filter(a -> type.equals(a.type())).map(NodeAddress::address).findFirst().orElse(NONE);
  }

  private static Instant created(ObjectMeta meta) {
    return meta == null ? null : meta.creationTimestamp();
  }

  private static String name(ObjectMeta meta) {
    return meta == null ? "" : nz(meta.name());
  }

  private static String orUnknown(String s) {
    return s == null || s.isEmpty() ? "<unknown>" : s;
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static Column nameColumn() {
    return new Column("Name", "string", "name", "Name must be unique within a namespace. Is required when creating "
        + "resources, although some resources may allow a client to request the generation of an appropriate name "
        + "automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot "
        + "be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0);
  }

  private static Column ageColumn() {
    return column("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object "
        + "was created. It is not guaranteed to be set in happens-before order across separate operations. Clients "
        + "may not set this value. It is represented in RFC3339 form and is in UTC.", 0);
  }

  private static Column column(String name, String type, String description, int priority) {
    return new Column(name, type, "", description, priority);
  }

  /** The later of lastRestart and when the container's last run ended (upstream's printPod LAST RESTART). */
  private static Instant laterRestart(Instant lastRestart, ContainerStatus cs) {
    ContainerState last = cs.lastState();
    Instant ended = last == null || last.terminated() == null ? null : last.terminated().finishedAt();
    return ended != null && (lastRestart == null || lastRestart.isBefore(ended)) ? ended : lastRestart;
  }
}
