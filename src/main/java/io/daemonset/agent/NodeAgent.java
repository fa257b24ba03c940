package io.daemonset.agent;

import io.daemonset.auth.AgentTls;
import io.daemonset.auth.TokenFile;
import io.daemonset.model.Quantity;
import io.daemonset.model.Taint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node agent: registers its Node (retrying until the API answers), heartbeats, watches the pods bound to it
 * ({@code fieldSelector=spec.nodeName=NAME}), runs them with its runtime and reports their status. Pods that were
 * running when a previous agent on the same work dir stopped are adopted (process runtime).
 * <p>Given a bootstrap token ({@link TokenFile#isBootstrapToken}: serve's {@code <data-dir>/node-token}), the agent
 * first exchanges it for its node's own credential (user system:node:NAME, retried until the API answers), keeps
 * that in {@code <work-dir>/node-credential} and uses it from then on, after restarts too; should the API refuse the
 * stored credential (401), it exchanges the bootstrap token again. Any other token is used as it is.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

  /**
   * Everything the agent command configures.
   *
   * @param capacity null: the machine's (cpus, memory, 110 pods)
   * @param runtime "process" or "hollow"
   * @param nodeIP null: this host's address
   * @param logPort 0: an ephemeral port; -1: no log endpoint
   * @param stopPodsOnExit stop every pod when the agent closes (default: leave them to be adopted by the next agent)
   */
  public record Settings(ApiTarget target, String nodeName, Map<String, String> labels, List<Taint> taints,
                         Map<String, Quantity> capacity, String runtime, Path workDir, Duration heartbeatPeriod,
                         String nodeIP, String logBindHost, int logPort, Duration backoffBase, Duration backoffMax,
                         HollowBehavior hollow, boolean stopPodsOnExit) {

    public static Settings defaults(ApiTarget target, String nodeName, Path workDir) {
      return new Settings(target, nodeName, Map.of(), List.of(), null, "process", workDir, Duration.ofSeconds(10),
          null, "127.0.0.1", 0, Duration.ofSeconds(10), Duration.ofMinutes(5), HollowBehavior.allReady(Duration.ofSeconds(1)),
          false);
    }

    public Settings withLabels(Map<String, String> value) {
      return new Settings(target, nodeName, value, taints, capacity, runtime, workDir, heartbeatPeriod, nodeIP,
          logBindHost, logPort, backoffBase, backoffMax, hollow, stopPodsOnExit);
    }

    public Settings withTaints(List<Taint> value) {
      return new Settings(target, nodeName, labels, value, capacity, runtime, workDir, heartbeatPeriod, nodeIP,
          logBindHost, logPort, backoffBase, backoffMax, hollow, stopPodsOnExit);
    }

    public Settings withCapacity(Map<String, Quantity> value) {
      return new Settings(target, nodeName, labels, taints, value, runtime, workDir, heartbeatPeriod, nodeIP,
          logBindHost, logPort, backoffBase, backoffMax, hollow, stopPodsOnExit);
    }

    public Settings withRuntime(String value, HollowBehavior hollowBehavior) {
      return new Settings(target, nodeName, labels, taints, capacity, value, workDir, heartbeatPeriod, nodeIP,
          logBindHost, logPort, backoffBase, backoffMax, hollowBehavior, stopPodsOnExit);
    }

    public Settings withHeartbeatPeriod(Duration value) {
      return new Settings(target, nodeName, labels, taints, capacity, runtime, workDir, value, nodeIP,
          logBindHost, logPort, backoffBase, backoffMax, hollow, stopPodsOnExit);
    }

    public Settings withNodeIP(String value) {
      return new Settings(target, nodeName, labels, taints, capacity, runtime, workDir, heartbeatPeriod, value,
          logBindHost, logPort, backoffBase, backoffMax, hollow, stopPodsOnExit);
    }

    public Settings withLogEndpoint(String bindHost, int port) {
      return new Settings(target, nodeName, labels, taints, capacity, runtime, workDir, heartbeatPeriod, nodeIP,
          bindHost, port, backoffBase, backoffMax, hollow, stopPodsOnExit);
    }

    public Settings withBackoff(Duration base, Duration max) {
      return new Settings(target, nodeName, labels, taints, capacity, runtime, workDir, heartbeatPeriod, nodeIP,
          logBindHost, logPort, base, max, hollow, stopPodsOnExit);
    }

    public Settings withStopPodsOnExit(boolean value) {
      return new Settings(target, nodeName, labels, taints, capacity, runtime, workDir, heartbeatPeriod, nodeIP,
          logBindHost, logPort, backoffBase, backoffMax, hollow, value);
    }
  }

  private final Settings settings;
  private final ScheduledExecutorService scheduler;
  /** The hollow runtime's ConfigMaps and Secrets (the process runtime refreshes its own), or null. */
  private ConfigCache hollowConfig;
  private final PodRuntime runtime;
  private final LogServer logServer;
  /** How often the agent measures its containers' usage (kubectl top's window). */
  static final Duration USAGE_PERIOD = Duration.ofSeconds(5);
  private ExecServer execServer;
  /** The TLS identity of the log and exec endpoints; null without them (hollow runtime, --log-port -1). */
  private final AgentTls tls;
  /** The addresses the serving certificate names (the advertised host and the node IP). */
  private final List<String> servingNames;
  private final CompletableFuture<Void> serving = new CompletableFuture<>();
  private final NodeReporter reporter;
  private final PodManager manager;
  private final PodWatch watch;
  private final ApiClient client;
  /** null: the target's token is the agent's credential. */
  private final String bootstrapToken;
  private volatile boolean credentialReady;
  private final AtomicBoolean watchStarted = new AtomicBoolean();
  private final CompletableFuture<Void> registered = new CompletableFuture<>();
  private final AtomicBoolean heartbeating = new AtomicBoolean();
  private final AtomicInteger heartbeatFailures = new AtomicInteger();
  private volatile boolean closed;

  private NodeAgent(Settings settings, Clock clock) throws IOException {
    this.settings = settings;
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "agent-" + settings.nodeName());
      t.setDaemon(true);
      return t;
    });
    timers.setRemoveOnCancelPolicy(true);
    this.scheduler = timers;
    String nodeIP = settings.nodeIP() != null ? settings.nodeIP() : hostAddress();
    String runtimeName = settings.runtime() == null ? "process" : settings.runtime();
    Map<String, String> annotations = new LinkedHashMap<>();
    switch (runtimeName) {
      case "process" -> {
        ProcessRuntime process = new ProcessRuntime(new ProcessRuntime.Settings(settings.workDir(), nodeIP,
            settings.backoffBase(), settings.backoffMax()), clock);
        UsageSampler usage = new UsageSampler(process::runningContainers, clock);
        this.runtime = process;
        String advertised = "0.0.0.0".equals(settings.logBindHost()) ? nodeIP : settings.logBindHost();
        // logs, stats and exec over TLS: a key made here, a certificate the cluster CA issues once registered
        this.tls = settings.logPort() < 0 ? null : new AgentTls();
        this.servingNames = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(List.of(advertised, nodeIP)));
        this.logServer = settings.logPort() < 0 ? null
            : LogServer.start(settings.logBindHost(), settings.logPort(), advertised, process::logFile,
                process::previousLogFile, usage::json, tls.serverContext());
        // kubectl top: the containers' and the machine's measured usage, sampled on a fixed period
        timers.scheduleWithFixedDelay(usage::sample, 0, USAGE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        if (logServer != null) {
          annotations.put(NodeReporter.ENDPOINT_ANNOTATION, logServer.endpoint());
          // exec: an ephemeral port on the same address; the tickets it accepts are signed with this node's credential
          this.execServer = ExecServer.start(settings.logBindHost(), 0, advertised, this::currentToken,
              process::execContext, clock, tls.serverContext());
          annotations.put(NodeReporter.EXEC_ENDPOINT_ANNOTATION, execServer.endpoint());
        }
      }
      case "hollow" -> {
        this.runtime = new HollowRuntime(settings.hollow(), settings.labels(), nodeIP, scheduler, clock);
        this.logServer = null;
        this.tls = null;
        this.servingNames = List.of();
      }
      default -> throw new IllegalArgumentException("unknown runtime " + runtimeName + ": want process or hollow");
    }
    ApiClient client = new ApiClient(settings.target(), ApiClient.newHttpClient(settings.target(), null), 8);
    this.client = client;
    if (runtime instanceof ProcessRuntime process) {
      process.useConfigFrom(new ConfigCache(client));
    } else if (runtime instanceof HollowRuntime hollow) {
      this.hollowConfig = new ConfigCache(client).refreshEvery(ProcessRuntime.CONFIG_REFRESH);
      hollow.useConfigFrom(hollowConfig);
    }
    if (TokenFile.isBootstrapToken(settings.target().token())) {
      this.bootstrapToken = settings.target().token();
      java.util.Optional<String> stored = NodeCredentials.load(settings.workDir(), settings.nodeName());
      stored.ifPresent(client::useToken);
      this.credentialReady = stored.isPresent();
    } else {
      this.bootstrapToken = null;
      this.credentialReady = true;
    }
    Map<String, Quantity> capacity = settings.capacity() != null && !settings.capacity().isEmpty()
        ? settings.capacity() : NodeReporter.machineCapacity();
    this.reporter = new NodeReporter(client, new NodeReporter.NodeDescription(settings.nodeName(), settings.labels(),
        annotations, settings.taints(), capacity, nodeIP, NodeReporter.systemInfo(runtimeName)), clock);
    this.manager = new PodManager(settings.nodeName(), client, runtime, scheduler);
    this.watch = new PodWatch(client, "spec.nodeName=" + settings.nodeName(), manager, scheduler,
        Duration.ofMillis(500), Duration.ofSeconds(30), "pod-watch-" + settings.nodeName());
  }

  /** The token the agent's calls carry now: its node credential once exchanged (the key of exec tickets). */
  private String currentToken() {
    return client == null ? null : client.token();
  }

  /** Starts the agent: registration (retried in the background), heartbeats and the pod watch. */
  public static NodeAgent start(Settings settings, Clock clock) {
    try {
      NodeAgent agent = new NodeAgent(settings, clock);
      agent.register(0);
      if (agent.credentialReady) {
        agent.startWatch();
      }
      return agent;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void register(int attempt) {
    if (closed) {
      return;
    }
    credential().thenCompose(ignored -> reporter.register()).whenComplete((node, error) -> {
      if (error == null) {
        LOG.info("node {} registered", settings.nodeName());
        registered.complete(null);
        obtainServingCertificate(0);
        long period = settings.heartbeatPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        return;
      }
      refused(error);
      long wait = Math.min(30_000L, 500L << Math.min(attempt, 6));
      wait = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
      LOG.warn("cannot register node {}: {}; again in {} ms", settings.nodeName(), error.getMessage(), wait);
      if (!closed) {
        scheduler.schedule(() -> register(attempt + 1), wait, TimeUnit.MILLISECONDS);
      }
    });
  }

  /**
   * Asks the cluster CA for the endpoints' certificate (retried until it answers), and again when two thirds of its
   * validity have passed, as kubelet rotates its serving certificate.
   */
  private void obtainServingCertificate(int attempt) {
    if (closed || tls == null) {
      serving.complete(null);
      return;
    }
    client.issueServingCertificate(settings.nodeName(), tls.csrPem(settings.nodeName()), servingNames)
        .thenAccept(answer -> tls.install(answer.path("certificate").asText(""), answer.path("ca").asText("")))
        .whenComplete((done, error) -> {
          if (closed) {
            return;
          }
          if (error == null) {
            java.time.Instant now = java.time.Instant.now();
            long renewIn = Math.max(60_000L, Duration.between(now, tls.expiry().orElse(now)).toMillis() * 2 / 3);
            LOG.info("node {}: serving certificate for {} issued by the cluster CA", settings.nodeName(), servingNames);
            serving.complete(null);
            scheduler.schedule(() -> obtainServingCertificate(0), renewIn, TimeUnit.MILLISECONDS);
            return;
          }
          refused(error);
          long wait = Math.min(30_000L, 500L << Math.min(attempt, 6));
          LOG.warn("node {}: cannot get a serving certificate: {}; again in {} ms", settings.nodeName(),
              error.getMessage(), wait);
          scheduler.schedule(() -> obtainServingCertificate(attempt + 1), wait, TimeUnit.MILLISECONDS);
        });
  }

  /**
   * Completes once the log, stats and exec endpoints serve a certificate from the cluster CA (at once for an agent
   * without them).
   */
  public CompletableFuture<Void> serving() {
    return serving;
  }

  private void heartbeat() {
    if (closed || !reporter.heartbeatDue(settings.heartbeatPeriod()) || !heartbeating.compareAndSet(false, true)) {
      return;
    }
    credential().thenCompose(ignored -> reporter.heartbeat()).whenComplete((node, error) -> {
      heartbeating.set(false);
      if (error != null) {
        refused(error);
        int n = heartbeatFailures.incrementAndGet();
        if (n == 1 || n % 10 == 0) {
          LOG.warn("heartbeat of node {} failed ({} in a row): {}", settings.nodeName(), n, error.getMessage());
        }
      } else if (heartbeatFailures.getAndSet(0) > 0) {
        LOG.info("heartbeat of node {} is back", settings.nodeName());
      }
    });
  }

  /** Completes at once when the agent has its credential, else after exchanging the bootstrap token for it. */
  private CompletableFuture<Void> credential() {
    if (credentialReady) {
      return CompletableFuture.completedFuture(null);
    }
    return client.exchangeBootstrapToken(bootstrapToken, settings.nodeName()).thenAccept(token -> {
      NodeCredentials.save(settings.workDir(), settings.nodeName(), token);
      client.useToken(token);
      credentialReady = true;
      LOG.info("node {}: exchanged the bootstrap token for the node's credential (kept in {})", settings.nodeName(),
          NodeCredentials.file(settings.workDir()));
      startWatch();
    });
  }

  /** A 401 with the stored node credential: forget it, exchange the bootstrap token again next time. */
  private void refused(Throwable error) {
    ApiError api = ApiError.of(error);
    if (api != null && api.code() == 401 && bootstrapToken != null && credentialReady) {
      LOG.warn("node {}: the API refuses the node credential: exchanging the bootstrap token again",
          settings.nodeName());
      credentialReady = false;
      NodeCredentials.forget(settings.workDir());
    }
  }

  private void startWatch() {
    if (!closed && watchStarted.compareAndSet(false, true)) {
      watch.start();
    }
  }

  public String nodeName() {
    return settings.nodeName();
  }

  public PodRuntime runtime() {
    return runtime;
  }

  public PodManager pods() {
    return manager;
  }

  public NodeReporter reporter() {
    return reporter;
  }

  /** Completes once the node is registered and its first status reported. */
  public CompletableFuture<Void> registered() {
    return registered;
  }

  /** Completes after the first pod list reached the agent. */
  public CompletableFuture<Void> synced() {
    return watch.firstSync();
  }

  /** The log endpoint (http://host:port), or null. */
  public String logEndpoint() {
    return logServer == null ? null : logServer.endpoint();
  }

  /** Stops the agent; its pods keep running for the next agent unless the settings say to stop them. */
  @Override
  public void close() {
    close(settings.stopPodsOnExit());
  }

  /** Stops the agent, and its pods too if stopPods. */
  public void close(boolean stopPods) {
    closed = true;
    watch.close();
    manager.close();
    runtime.close(stopPods);
    if (hollowConfig != null) {
      hollowConfig.close();
    }
    if (execServer != null) {
      execServer.close();
    }
    if (logServer != null) {
      logServer.close();
    }
    scheduler.shutdownNow();
    client.close();
  }

  private static String hostAddress() {
    try {
      InetAddress local = InetAddress.getLocalHost();
      return local.isLoopbackAddress() ? "127.0.0.1" : local.getHostAddress();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }
}
