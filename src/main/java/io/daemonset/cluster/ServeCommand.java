package io.daemonset.cluster;

import io.daemonset.agent.ApiTarget;
import io.daemonset.agent.FleetSettings;
import io.daemonset.agent.HollowFleet;
import io.daemonset.api.ApiServer;
import io.daemonset.api.ApiSettings;
import io.daemonset.auth.Identity;
import io.daemonset.api.ResourceRoutes;
import io.daemonset.auth.TokenFile;
import io.daemonset.console.Console;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: a member of the control plane with the API, and optionally simulated nodes in the same
 * process. On the embedded default a newcomer needs no configuration at all.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the control plane: cluster member, API server and controllers.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--data-dir", defaultValue = "${env:DS_DATA_DIR:-data}",
      description = "Journal (H2), certificates, tokens and kubeconfig; members of one cluster on one machine share it"
          + " (env DS_DATA_DIR, default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--bind", defaultValue = "${env:DS_API_BIND:-127.0.0.1}",
      description = "API address (env DS_API_BIND, default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--api-port", defaultValue = "${env:DS_API_PORT:-6443}",
      description = "API port (env DS_API_PORT, default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--tls-san", split = ",", defaultValue = "${env:DS_TLS_SANS}",
      description = "More DNS names or IPs for the API's certificate, besides 127.0.0.1, ::1, localhost and the --bind"
          + " address: the addresses agents and kubectl on other machines use (env DS_TLS_SANS).")
  List<String> tlsSans;

  @Option(names = "--tls-cert-file", defaultValue = "${env:DS_TLS_CERT_FILE}",
      description = "Serve this certificate (PEM, chain allowed) instead of one from the data dir's CA; with"
          + " --tls-private-key-file, for operators with their own PKI (env DS_TLS_CERT_FILE).")
  Path tlsCertFile;

  @Option(names = "--tls-private-key-file", defaultValue = "${env:DS_TLS_PRIVATE_KEY_FILE}",
      description = "The private key (PEM) of --tls-cert-file (env DS_TLS_PRIVATE_KEY_FILE).")
  Path tlsKeyFile;

  @Option(names = "--store", defaultValue = "${env:DS_DB}",
      description = "h2 (embedded, the default) or postgres; a --db-url chooses by itself (env DS_DB).")
  String store;

  @Option(names = "--db-url", defaultValue = "${env:DS_DB_URL}",
      description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/daemonset; selects the PostgreSQL"
          + " store (env DS_DB_URL).")
  String dbUrl;

  @Option(names = "--db-user", defaultValue = "${env:DS_DB_USER}",
      description = "PostgreSQL user (env DS_DB_USER, default daemonset).")
  String dbUser;

  @Option(names = "--db-password", defaultValue = "${env:DS_DB_PASSWORD}",
      description = "PostgreSQL password (env DS_DB_PASSWORD; prefer the variable: flags show in ps).")
  String dbPassword;

  @Option(names = "--cluster-port", defaultValue = "${env:DS_CLUSTER_PORT}",
      description = "Pekko remoting port (env DS_CLUSTER_PORT, default 25520; 0 picks a free one).")
  Integer clusterPort;

  @Option(names = "--cluster-host", defaultValue = "${env:DS_CLUSTER_HOST}",
      description = "Address other members reach this one at (env DS_CLUSTER_HOST, default 127.0.0.1).")
  String clusterHost;

  @Option(names = "--seed-nodes", split = ",", defaultValue = "${env:DS_SEED_NODES}",
      description = "Members to join, host:port,…; none forms a single-member cluster (env DS_SEED_NODES).")
  List<String> seedNodes;

  @Option(names = "--management-port", defaultValue = "${env:DS_MANAGEMENT_PORT}",
      description = "Pekko Management port: /alive, /ready, /cluster/members, /cluster/shards/<type>, /metrics"
          + " (env DS_MANAGEMENT_PORT, default 7626; 0 picks a free one).")
  Integer managementPort;

  @Option(names = "--hollow-nodes", defaultValue = "0",
      description = "Also run N simulated nodes (node-1…node-N) in this process, as API clients. They share one "
          + "system:masters credential (system:hollow-fleet in tokens.csv), since one fleet speaks for many nodes; "
          + "real agents join with <data-dir>/node-token and get a credential for their own node only.")
  int hollowNodes;

  @Option(names = "--hollow-node-prefix", defaultValue = "node-",
      description = "Name prefix of the simulated nodes (default: ${DEFAULT-VALUE}); give each member its own when"
          + " several members run hollow nodes.")
  String hollowNodePrefix;

  @Option(names = "--hollow-ready-delay", defaultValue = "1s",
      description = "How long a hollow node's pod takes to become Ready (default: ${DEFAULT-VALUE}).",
      converter = DurationConverter.class)
  Duration hollowReadyDelay;

  @Option(names = "--plain-http", description = "Serve plain HTTP (loopback only, for development).")
  boolean plainHttp;

  /** The member's settings from the flags (pure: no I/O), so that tests can check what a command line means. */
  ControlPlaneSystem.Settings settings() {
    ControlPlaneSystem.Settings settings = ControlPlaneSystem.Settings.defaults().withDataDir(dataDir.toAbsolutePath())
        .withExtraConfig("pekko.coordinated-shutdown.exit-jvm = on");
    DatabaseFlags database = DatabaseFlags.of(store, dbUrl, dbUser, dbPassword);
    settings = settings.withExtraConfig(database.config());
    if (database.chosenStore().isPresent()) {
      settings = settings.withStore(database.chosenStore().get());
    }
    if (clusterPort != null) {
      settings = settings.withClusterPort(clusterPort);
    }
    if (clusterHost != null && !clusterHost.isBlank()) {
      settings = settings.withClusterHost(clusterHost);
    }
    if (seedNodes != null && !seedNodes.isEmpty()) {
      settings = settings.withSeedNodes(seedNodes);
    }
    if (managementPort != null) {
      settings = settings.withExtraConfig("daemonset.management.port = " + managementPort);
    }
    return settings;
  }

  @Override
  public Integer call() throws Exception {
    Path data = dataDir.toAbsolutePath();
    if ((tlsCertFile == null) != (tlsKeyFile == null)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--tls-cert-file and --tls-private-key-file go together");
    }
    ControlPlaneSystem.Settings settings = settings();
    Clock clock = Clock.systemUTC();
    ControlPlane plane = ControlPlane.start(settings, clock);
    Management.start(plane.system()).toCompletableFuture().get(1, TimeUnit.MINUTES);
    plane.member().awaitMemberUp(Duration.ofMinutes(5));
    List<String> sans = new java.util.ArrayList<>(tlsSans == null ? List.of() : tlsSans);
    if (!bind.equals("0.0.0.0") && !bind.equals("::") && !sans.contains(bind)) {
      sans.add(bind);
    }
    ApiSettings api = ApiSettings.defaults(data).withBindHost(bind).withPort(apiPort).withPlainHttp(plainHttp)
        .withExtraSans(sans);
    AtomicReference<ApiServer> started = new AtomicReference<>();
    NodeCredentials nodeCredentials = NodeCredentials.start(plane.system(), plane.member().readJournal(), clock);
    ApiServer server = ApiServer.start(plane.system(), api, io.daemonset.api.Authorizer.standard(), servingPki(data, sans),
        ApiMetrics.measured(AdminRoutes.create(plane)
            .orElse(NodeBootstrap.route(() -> started.get() == null ? null : started.get().tokens(),
                () -> started.get() == null ? null : started.get().clusterCa(),
                () -> started.get() == null ? null : nodeCredentials))
            .orElse(ResourceRoutes.create(plane.store(), clock))),
        Console.routes(plane.system(), plane.view(), plane.member().readJournal(), clock, Console.Settings.DEFAULT))
        .toCompletableFuture().get(1, TimeUnit.MINUTES);
    server.tokens().useClusterCredentials(nodeCredentials);
    started.set(server);
    IdentityUpkeep.start(plane.system(), plane.view(), server.tokens(), nodeCredentials, server.pki());
    AtomicReference<HollowFleet> fleet = new AtomicReference<>();
    GracefulShutdown.register(plane.system(), server, fleet::get);
    server.tokens().ensureBootstrapToken(data.resolve(TokenFile.NODE_TOKEN_FILE));
    System.out.println("API: " + server.url());
    System.out.println("console: " + server.url() + "/console/   (sign in with a token from "
        + dataDir.resolve(TokenFile.FILE_NAME) + ")");
    System.out.println("kubeconfig: " + server.kubeconfigPath() + "   (kubectl --kubeconfig "
        + dataDir.resolve("kubeconfig") + " get nodes)");
    System.out.println("node bootstrap token: " + dataDir.resolve(TokenFile.NODE_TOKEN_FILE) + "   (agent --server "
        + server.url() + (plainHttp ? "" : " --ca-file " + dataDir.resolve(io.daemonset.auth.Pki.CA_CRT)) + " --token-file "
        + dataDir.resolve(TokenFile.NODE_TOKEN_FILE) + " --node-name <name>)");
    System.out.println("failover: " + FailoverBudget.of(plane.system().settings().config()));
    JitAdvice.of(Runtime.getRuntime().availableProcessors(),
        io.daemonset.auth.ServerCipherSuites.CompilerProbe.current().c2Runs()).ifPresent(System.out::println);
    plane.view().caughtUp().toCompletableFuture().get(10, TimeUnit.MINUTES);
    Readiness.get(plane.system()).serving();
    if (hollowNodes > 0) {
      fleet.set(startHollowNodes(server, clock));
    }
    plane.system().getWhenTerminated().toCompletableFuture().get();
    return 0;
  }

  /** The operator's certificate files when given, else the data dir's CA (created by the first member). */
  private io.daemonset.auth.Pki servingPki(Path data, List<String> sans) {
    return tlsCertFile != null ? io.daemonset.auth.Pki.fromFiles(tlsCertFile, tlsKeyFile)
        : io.daemonset.auth.Pki.loadOrCreate(data, sans);
  }

  /**
   * Simulated nodes talk to this very API as real agents do. One fleet speaks for many nodes, so it holds
   * a credential of its own in the masters group rather than one node's (which may touch only that node).
   */
  private HollowFleet startHollowNodes(ApiServer server, Clock clock) {
    String user = "system:hollow-fleet";
    String token = server.tokens().tokenFor(user)
        .orElseGet(() -> server.tokens().issue(new Identity(user, "hollow-fleet", Set.of("system:masters"))));
    ApiTarget target = ApiTarget.of(server.url(), server.pki().caCertificate(), token);
    FleetSettings fleet = FleetSettings.of(target, hollowNodes).withNamePrefix(hollowNodePrefix)
        .withBehavior(io.daemonset.agent.HollowBehavior.allReady(hollowReadyDelay));
    HollowFleet hollow = HollowFleet.start(fleet, clock);
    System.out.println("hollow nodes: " + String.join(", ", hollow.nodeNames()));
    return hollow;
  }

  /** "1s", "500ms", "2m". */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return com.typesafe.config.ConfigFactory.parseString("d = " + value).getDuration("d");
    }
  }
}
