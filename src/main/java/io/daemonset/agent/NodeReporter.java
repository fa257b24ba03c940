package io.daemonset.agent;

import io.daemonset.model.Node;
import io.daemonset.model.NodeAddress;
import io.daemonset.model.NodeCondition;
import io.daemonset.model.NodeSpec;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.NodeSystemInfo;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Quantity;
import io.daemonset.model.Taint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a node and reports its status, as the kubelet's node status manager does: POST the Node (with the
 * kubelet's default labels, the agent's labels, annotations and taints); if it exists already (409), GET it, add the
 * agent's labels, annotations and missing taints to it (keeping what users and the control plane added) and PUT it;
 * then PUT nodes/NAME/status with capacity, allocatable, addresses, nodeInfo and the conditions, Ready=True.
 * <p>Heartbeats follow kubelet's design since node leases: every heartbeat renews the node's Lease (a small write the
 * server keeps in memory); the status is reported again only when it changed or every {@link #STATUS_REPORT_PERIOD}
 * (kubelet's nodeStatusReportFrequency), so 5,000 nodes heartbeating do not rewrite 5,000 Nodes every 10 s.
 */
public final class NodeReporter {
  private static final Logger LOG = LoggerFactory.getLogger(NodeReporter.class);
  public static final String KUBELET_VERSION = "v1.32.0";
  public static final String ENDPOINT_ANNOTATION = "daemonset.io/agent-endpoint";
  /** host:port of the agent's exec port ({@link ExecServer}). */
  public static final String EXEC_ENDPOINT_ANNOTATION = "daemonset.io/agent-exec-endpoint";

  /** What the agent says its node is. */
  public record NodeDescription(String name, Map<String, String> labels, Map<String, String> annotations,
                                List<Taint> taints, Map<String, Quantity> capacity, String address,
                                NodeSystemInfo info) {}

  /** kubelet's nodeStatusReportFrequency: the status is reported at least this often even when unchanged. */
  public static final java.time.Duration STATUS_REPORT_PERIOD = java.time.Duration.ofMinutes(5);

  private final ApiClient client;
  private final NodeDescription description;
  private final Clock clock;
  private final Instant readySince;
  private volatile Node node;
  /** When the status was last reported (null: report at the next heartbeat). */
  private volatile Instant statusReported;
  /** The lease was created (or found) already: renew with PUT. */
  private volatile boolean leaseExists;
  /** The renewTime the server last answered (null before the first renewal). */
  private volatile Instant leaseRenewed;
  /** When, by this agent's clock, the last renewal was answered, and the lease duration the server granted. */
  private volatile Instant leaseAnswered;
  private volatile int leaseGrantedSeconds;

  public NodeReporter(ApiClient client, NodeDescription description, Clock clock) {
    this.client = client;
    this.description = description;
    this.clock = clock;
    this.readySince = clock.instant();
  }

  public String name() {
    return description.name();
  }

  public NodeDescription description() {
    return description;
  }

  /** The Node as the API last returned it (null before registration). */
  public Node node() {
    return node;
  }

  /** Register (or re-register), then report the status once. */
  public CompletableFuture<Node> register() {
    Node wanted = new Node("v1", Node.KIND, ObjectMeta.named(null, description.name())
        .withLabels(labels()).withAnnotations(description.annotations().isEmpty() ? null : description.annotations()),
        new NodeSpec(null, null, null, description.taints().isEmpty() ? null : description.taints()), status());
    Instant asked = clock.instant();
    return client.createNode(wanted)
        .thenApply(created -> {
          // a Node is created with its status (as kubelet registers it): no status write is due until the period
          // has passed, so a registration is two requests (create, lease), not three
          if (created.status() != null) {
            statusReported = asked;
          }
          return created;
        })
        .exceptionallyCompose(error -> {
          ApiError api = ApiError.of(error);
          if (api != null && api.isConflict()) {
            LOG.info("node {} exists: registering again", description.name());
            return reRegister(3);
          }
          return CompletableFuture.failedFuture(error);
        })
        .thenCompose(registered -> {
          node = registered;
          return heartbeat();
        });
  }

  private CompletableFuture<Node> reRegister(int attempts) {
    return client.getNode(description.name())
        .thenCompose(existing -> client.updateNode(merge(existing)))
        .exceptionallyCompose(error -> {
          ApiError api = ApiError.of(error);
          if (api != null && api.isConflict() && attempts > 1) {
            return reRegister(attempts - 1);
          }
          return CompletableFuture.failedFuture(error);
        });
  }

  /** The existing node with the agent's labels, annotations and taints added. */
  Node merge(Node existing) {
    ObjectMeta meta = existing.metadata();
    Map<String, String> labels = new LinkedHashMap<>(meta.labelsOrEmpty());
    labels.putAll(labels());
    Map<String, String> annotations = new LinkedHashMap<>(meta.annotationsOrEmpty());
    annotations.putAll(description.annotations());
    NodeSpec spec = existing.spec() == null ? new NodeSpec(null, null, null, null) : existing.spec();
    List<Taint> taints = new ArrayList<>(spec.taintsOrEmpty());
    for (Taint t : description.taints()) {
      if (taints.stream().noneMatch(x -> x.key().equals(t.key()) && x.effect().equals(t.effect()))) {
        taints.add(t);
      }
    }
    return existing.withMetadata(meta.withLabels(labels).withAnnotations(annotations.isEmpty() ? null : annotations))
        .withSpec(new NodeSpec(spec.podCIDR(), spec.providerID(), spec.unschedulable(), taints.isEmpty() ? null : taints));
  }

  /** When the server last renewed this node's Lease (null before the first heartbeat). */
  public Instant leaseRenewed() {
    return leaseRenewed;
  }

  /** Whether a heartbeat ticking every {@code tick} should renew now ({@link #renewalDue}). */
  public boolean heartbeatDue(java.time.Duration tick) {
    return renewalDue(leaseAnswered, leaseGrantedSeconds, tick, clock.instant());
  }

  /**
   * Whether to renew at a tick: once per tick, as kubelet renews every 10 s, or every quarter of the grant when the
   * server granted a longer lease than asked (its fleet is large: node.LeaseTerms); counted from the last renewal
   * answered, half a tick early at most. So a lease created a moment ago (registration ends with it) is not renewed
   * again at the next tick: a hollow fleet's first tick falls at a random point of the period after registration, and
   * renewing there made every node's first interval half a period on average, renewals a converge started right after
   * registration had to serve (docs/performance.md, "sched9").
   */
  static boolean renewalDue(Instant answered, int grantedSeconds, java.time.Duration tick, Instant now) {
    if (answered == null) {
      return true;
    }
    java.time.Duration interval = grantedSeconds > io.daemonset.model.Lease.NODE_LEASE_DURATION_SECONDS
        ? java.time.Duration.ofSeconds(grantedSeconds).dividedBy(4) : tick;
    return !now.isBefore(answered.plus(interval).minus(tick.dividedBy(2)));
  }

  /** The heartbeat: the status when due (see the class), then the Lease renewed. */
  public CompletableFuture<Node> heartbeat() {
    Instant reported = statusReported;
    boolean statusDue = reported == null || !reported.plus(STATUS_REPORT_PERIOD).isAfter(clock.instant());
    CompletableFuture<Node> status = statusDue ? reportStatus() : CompletableFuture.completedFuture(node);
    return status.thenCompose(n -> renewLease().thenApply(lease -> node));
  }

  /** PUT nodes/NAME/status with Ready=True and lastHeartbeatTime now. */
  public CompletableFuture<Node> reportStatus() {
    Node base = node != null ? node : new Node("v1", Node.KIND, ObjectMeta.named(null, description.name()), null, null);
    Node body = base.withMetadata(base.metadata().withResourceVersion(null)).withStatus(status());
    Instant now = clock.instant();
    return client.updateNodeStatus(body).thenApply(updated -> {
      node = updated;
      statusReported = now;
      return updated;
    }).exceptionallyCompose(this::registerAgainIfGone);
  }

  private CompletableFuture<io.daemonset.model.Lease> renewLease() {
    io.daemonset.model.Lease lease = io.daemonset.model.Lease.forNode(description.name(), clock.instant());
    return client.renewLease(lease, !leaseExists).thenApply(renewed -> {
      leaseExists = true;
      leaseRenewed = io.daemonset.model.Lease.parseMicroTime(renewed.spec().renewTime());
      Integer granted = renewed.spec().leaseDurationSeconds();
      leaseGrantedSeconds = granted == null ? 0 : granted;
      leaseAnswered = clock.instant();
      return renewed;
    }).exceptionallyCompose(error -> {
      ApiError api = ApiError.of(error);
      if (api != null && api.isNotFound() && leaseExists) {
        return registerAgainIfGone(error).thenApply(n -> null);
      }
      return CompletableFuture.failedFuture(error instanceof CompletionException c ? c.getCause() : error);
    });
  }

  private CompletableFuture<Node> registerAgainIfGone(Throwable error) {
    ApiError api = ApiError.of(error);
    if (api != null && api.isNotFound()) {
      // the node was deleted (kubectl delete node): register it again, as the kubelet does
      LOG.warn("node {} is gone from the API: registering again", description.name());
      node = null;
      statusReported = null;
      return register();
    }
    return CompletableFuture.failedFuture(error instanceof CompletionException c ? c.getCause() : error);
  }

  private Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", description.name());
    labels.put("kubernetes.io/os", description.info().operatingSystem());
    labels.put("kubernetes.io/arch", description.info().architecture());
    labels.put("beta.kubernetes.io/os", description.info().operatingSystem());
    labels.put("beta.kubernetes.io/arch", description.info().architecture());
    labels.putAll(description.labels());
    return labels;
  }

  NodeStatus status() {
    Instant now = clock.instant();
    List<NodeCondition> conditions = List.of(
        new NodeCondition("MemoryPressure", "False", now, readySince, "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available"),
        new NodeCondition("DiskPressure", "False", now, readySince, "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure"),
        new NodeCondition("PIDPressure", "False", now, readySince, "KubeletHasSufficientPID",
            "kubelet has sufficient PID available"),
        new NodeCondition("Ready", "True", now, readySince, "KubeletReady", "kubelet is posting ready status"));
    List<NodeAddress> addresses = List.of(new NodeAddress("InternalIP", description.address()),
        new NodeAddress("Hostname", description.name()));
    return new NodeStatus(description.capacity(), description.capacity(), conditions, addresses, description.info());
  }

  // ---- what the machine is

  /** This machine's nodeInfo; runtime names the container runtime ("process" or "hollow"). */
  public static NodeSystemInfo systemInfo(String runtime) {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    return new NodeSystemInfo(firstLine("/etc/machine-id"), firstLine("/sys/class/dmi/id/product_uuid"),
        firstLine("/proc/sys/kernel/random/boot_id"), System.getProperty("os.version"), osImage(),
        runtime + "://0.1.0", KUBELET_VERSION, "", os.startsWith("linux") ? "linux" : os, arch());
  }

  /** GOARCH names: amd64, arm64, … */
  public static String arch() {
    String a = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return switch (a) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> a;
    };
  }

  /** cpu = available processors, memory = physical memory, pods = 110 (the kubelet's default). */
  public static Map<String, Quantity> machineCapacity() {
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", Quantity.parse(Integer.toString(Runtime.getRuntime().availableProcessors())));
    long memory = 0;
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    if (memory > 0) {
      capacity.put("memory", Quantity.parse((memory / 1024) + "Ki"));
    }
    capacity.put("pods", Quantity.parse("110"));
    return capacity;
  }

  private static String osImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable
    }
    return System.getProperty("os.name") + " " + System.getProperty("os.version");
  }

  private static String firstLine(String file) {
    try {
      return Files.readAllLines(Path.of(file)).stream().findFirst().map(String::trim).orElse("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
