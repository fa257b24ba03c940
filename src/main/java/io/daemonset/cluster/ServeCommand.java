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

  @Option(names = "--data-dir", defaultValue = "data",
      description = "Journal (H2), certificates, tokens and kubeconfig (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "API address (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--api-port", defaultValue = "6443", description = "API port (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--tls-san", split = ",",
      description = "More DNS names or IPs for the API's certificate, besides 127.0.0.1, ::1, localhost and the --bind"
          + " address: the addresses agents and kubectl on other machines use.")
  List<String> tlsSans;

  @Option(names = "--store", description = "h2 (embedded, the default) or postgres (DS_DB_URL, DS_DB_USER, DS_DB_PASSWORD).")
  String store;

  @Option(names = "--cluster-port", description = "Pekko remoting port (default 25520; 0 picks a free one).")
  Integer clusterPort;

  @Option(names = "--seed-nodes", split = ",",
      description = "Members to join, host:port,…; none forms a single-member cluster.")
  List<String> seedNodes;

  @Option(names = "--hollow-nodes", defaultValue = "0",
      description = "Also run N simulated nodes (node-1…node-N) in this process, as API clients. They share one "
          + "system:masters credential (system:hollow-fleet in tokens.csv), since one fleet speaks for many nodes; "
          + "real agents join with <data-dir>/node-token and get a credential for their own node only.")
  int hollowNodes;

  @Option(names = "--hollow-ready-delay", defaultValue = "1s",
      description = "How long a hollow node's pod takes to become Ready (default: ${DEFAULT-VALUE}).",
      converter = DurationConverter.class)
  Duration hollowReadyDelay;

  @Option(names = "--plain-http", description = "Serve plain HTTP (loopback only, for development).")
  boolean plainHttp;

  @Override
  public Integer call() throws Exception {
    Path data = dataDir.toAbsolutePath();
    ControlPlaneSystem.Settings settings = ControlPlaneSystem.Settings.defaults().withDataDir(data)
        .withExtraConfig("pekko.coordinated-shutdown.exit-jvm = on");
    if (store != null) {
      settings = settings.withStore(Store.parse(store));
    }
    if (clusterPort != null) {
      settings = settings.withClusterPort(clusterPort);
    }
    if (seedNodes != null) {
      settings = settings.withSeedNodes(seedNodes);
    }
    Clock clock = Clock.systemUTC();
    ControlPlane plane = ControlPlane.start(settings, clock);
    plane.member().awaitMemberUp(Duration.ofMinutes(2));
    List<String> sans = new java.util.ArrayList<>(tlsSans == null ? List.of() : tlsSans);
    if (!bind.equals("0.0.0.0") && !bind.equals("::") && !sans.contains(bind)) {
      sans.add(bind);
    }
    ApiSettings api = ApiSettings.defaults(data).withBindHost(bind).withPort(apiPort).withPlainHttp(plainHttp)
        .withExtraSans(sans);
    AtomicReference<ApiServer> started = new AtomicReference<>();
    ApiServer server = ApiServer.start(plane.system(), api, io.daemonset.api.Authorizer.standard(),
        AdminRoutes.create(plane)
            .orElse(NodeBootstrap.route(() -> started.get() == null ? null : started.get().tokens()))
            .orElse(ResourceRoutes.create(plane.store(), clock)),
        Console.routes(plane.system(), plane.view(), plane.member().readJournal(), clock, Console.Settings.DEFAULT))
        .toCompletableFuture().get(1, TimeUnit.MINUTES);
    started.set(server);
    server.tokens().ensureBootstrapToken(data.resolve(TokenFile.NODE_TOKEN_FILE));
    System.out.println("API: " + server.url());
    System.out.println("console: " + server.url() + "/console/   (sign in with a token from "
        + dataDir.resolve(TokenFile.FILE_NAME) + ")");
    System.out.println("kubeconfig: " + server.kubeconfigPath() + "   (kubectl --kubeconfig "
        + dataDir.resolve("kubeconfig") + " get nodes)");
    System.out.println("node bootstrap token: " + dataDir.resolve(TokenFile.NODE_TOKEN_FILE) + "   (agent --server "
        + server.url() + (plainHttp ? "" : " --ca-file " + dataDir.resolve(io.daemonset.auth.Pki.CA_CRT)) + " --token-file "
        + dataDir.resolve(TokenFile.NODE_TOKEN_FILE) + " --node-name <name>)");
    if (hollowNodes > 0) {
      startHollowNodes(server, clock);
    }
    plane.system().getWhenTerminated().toCompletableFuture().get();
    return 0;
  }

  /**
   * Simulated nodes talk to this very API as real agents do. One fleet speaks for many nodes, so it holds
   * a credential of its own in the masters group rather than one node's (which may touch only that node).
   */
  private void startHollowNodes(ApiServer server, Clock clock) {
    String user = "system:hollow-fleet";
    String token = server.tokens().tokenFor(user)
        .orElseGet(() -> server.tokens().issue(new Identity(user, "hollow-fleet", Set.of("system:masters"))));
    ApiTarget target = ApiTarget.of(server.url(), server.pki().caCertificate(), token);
    FleetSettings fleet = FleetSettings.of(target, hollowNodes)
        .withBehavior(io.daemonset.agent.HollowBehavior.allReady(hollowReadyDelay));
    HollowFleet hollow = HollowFleet.start(fleet, clock);
    System.out.println("hollow nodes: " + String.join(", ", hollow.nodeNames()));
  }

  /** "1s", "500ms", "2m". */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return com.typesafe.config.ConfigFactory.parseString("d = " + value).getDuration("d");
    }
  }
}
