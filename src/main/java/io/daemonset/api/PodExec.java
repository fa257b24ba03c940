package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.extractActorSystem;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessagesForProtocol;

import io.daemonset.auth.ExecTicket;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * {@code kubectl exec} ({@code pods/NAME/exec}) over WebSocket with the remote-command subprotocol
 * {@code v5.channel.k8s.io} (or v4), what kubectl ≥ 1.30 speaks by default. The API server checks the request as
 * upstream does, then connects to the agent's exec port (the Node's {@value #EXEC_ENDPOINT_ANNOTATION} annotation),
 * over TLS ({@link AgentConnections}: the API server's client certificate, the agent's checked against the cluster CA),
 * sends it an {@link ExecTicket} signed with the node's credential, and relays the WebSocket's binary messages to it
 * and back unchanged (the agent speaks the same channel bytes, length-framed). A SPDY upgrade (kubectl's fallback,
 * and kubectl ≤ 1.29 without {@code KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true}) gets a 400 Status saying so: pekko-http
 * has no SPDY.
 */
final class PodExec {
  static final String EXEC_ENDPOINT_ANNOTATION = "daemonset.io/agent-exec-endpoint";
  static final List<String> PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
  private static final int MAX_FRAME = 1 << 20;
  private static final Duration STRICT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The credential token of a node (the key its agent verifies tickets with); empty when it has none. */
  @FunctionalInterface
  interface NodeKeys {
    Optional<String> of(String nodeName);
  }

  /** Set by the API server on every request it dispatches. */
  static final AttributeKey<NodeKeys> NODE_KEYS = AttributeKey.create("node-keys", NodeKeys.class);

  private final ObjectStore store;
  private final Clock clock;

  PodExec(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  Route route(Call call, Pod pod) {
    ExecTicket.Request request = request(call, pod);
    Node node = node(pod);
    String endpoint = node.metadata().annotationsOrEmpty().get(EXEC_ENDPOINT_ANNOTATION);
    if (endpoint == null || endpoint.isEmpty()) {
      throw ApiException.badRequest("the agent of node " + q(node.name()) + " serves no exec endpoint (the hollow "
          + "runtime and agents started with --log-port -1 run no commands)");
    }
    InetSocketAddress agent = address(endpoint, node.name());
    String key = call.http().getAttribute(NODE_KEYS).flatMap(keys -> keys.of(node.name()))
        .orElseThrow(() -> ApiException.serviceUnavailable("node " + q(node.name()) + " has no node credential "
            + "to sign an exec with (its agent did not join with a bootstrap token)", 0));
    return extractRequest(http -> {
      Optional<WebSocketUpgrade> upgrade = http.getAttribute(AttributeKeys.webSocketUpgrade);
      if (upgrade.isEmpty()) {
        boolean spdy = http.getHeader("Upgrade").map(h -> h.value().toUpperCase().startsWith("SPDY")).orElse(false);
        throw ApiException.badRequest(spdy
            ? "SPDY is not supported by this server: exec speaks WebSocket (v5.channel.k8s.io), kubectl's default "
                + "since 1.30; with kubectl 1.29 set KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true"
            : "Upgrade request required: exec speaks WebSocket with the v5.channel.k8s.io subprotocol");
      }
      List<String> offered = new ArrayList<>();
      upgrade.get().getRequestedProtocols().forEach(offered::add);
      String protocol = PROTOCOLS.stream().filter(offered::contains).findFirst()
          .orElseThrow(() -> ApiException.badRequest("unsupported remote command subprotocol " + offered
              + ": this server speaks " + PROTOCOLS));
      byte[] ticket = ExecTicket.sign(request, key);
      AgentConnections agents = AgentConnections.of(http);
      return extractActorSystem(system -> handleWebSocketMessagesForProtocol(relay(system, agent, ticket, agents),
          protocol));
    });
  }

  /** Client messages to the agent (after the ticket), the agent's frames back as binary messages. */
  private static Flow<Message, Message, NotUsed> relay(ActorSystem system, InetSocketAddress agent, byte[] ticket,
                                                       AgentConnections agents) {
    Materializer materializer = Materializer.matFromSystem(system);
    return Flow.<Message>create()
        .filter(m -> !m.isText())
        .mapAsync(1, m -> m.asBinaryMessage().toStrict(STRICT_TIMEOUT.toMillis(), materializer))
        .map(strict -> strict.getStrictData())
        .prepend(Source.single(ByteString.fromArray(ticket)))
        .via(Framing.simpleFramingProtocol(MAX_FRAME)
            // TLS to the agent, its certificate checked against the cluster CA and its host; either side ending
            // ends the session (the client gone: the agent sees the connection close and kills the command)
            .join(Tcp.get(system).outgoingConnectionWithTls(agent,
                () -> agents.engine(agent.getHostString(), agent.getPort()), Optional.empty(), List.of(),
                Optional.of(CONNECT_TIMEOUT), Optional.empty(), session -> Optional.empty(),
                TLSClosing.eagerClose())))
        .map(frame -> (Message) BinaryMessage.create(frame))
        .recoverWithRetries(1, Throwable.class, () -> Source.single(BinaryMessage.create(
            ByteString.fromArray(new byte[] {3}).concat(ByteString.fromString(
                "{\"metadata\":{},\"status\":\"Failure\",\"reason\":\"InternalError\",\"code\":500,\"message\":"
                    + "\"the connection to the node agent failed\"}")))));
  }

  /** The command and streams asked for, checked as upstream checks them. */
  private ExecTicket.Request request(Call call, Pod pod) {
    // in request order (Query.getAll answers the values last first)
    List<String> command = call.http().getUri().query().toList().stream().filter(p -> p.first().equals("command"))
        .map(p -> p.second()).toList();
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw ApiException.badRequest("you must specify at least 1 command");
    }
    boolean stdin = flag(call, "stdin");
    boolean stdout = flag(call, "stdout");
    boolean stderr = flag(call, "stderr");
    boolean tty = flag(call, "tty");
    if (!stdin && !stdout && !stderr) {
      throw ApiException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
    }
    if (tty && stderr) {
      // upstream's kubectl never asks for both; kubelet refuses it the same way
      throw ApiException.badRequest("tty and stderr cannot both be true");
    }
    String container = PodLogs.container(call, pod);
    return ExecTicket.Request.of(pod.metadata().namespace(), pod.metadata().name(), container, command, stdin,
        stdout, stderr, tty, clock);
  }

  private Node node(Pod pod) {
    String nodeName = pod.spec() == null || pod.spec().nodeName() == null ? "" : pod.spec().nodeName();
    if (nodeName.isEmpty()) {
      throw ApiException.badRequest("pod " + q(pod.metadata().name()) + " is not bound to a node yet");
    }
    Node node = store.index().get(ObjectIndex.NODES, null, nodeName).map(StoredObject::object)
        .filter(Node.class::isInstance).map(Node.class::cast)
        .orElseThrow(() -> ApiException.badRequest("pod " + q(pod.metadata().name()) + " is bound to node "
            + q(nodeName) + ", which is gone"));
    if (node.status() != null && node.status().nodeInfo() != null
        && String.valueOf(node.status().nodeInfo().containerRuntimeVersion()).startsWith("hollow://")) {
      throw ApiException.badRequest("pod " + q(pod.metadata().name()) + " runs on hollow node " + q(nodeName)
          + ": the hollow runtime only pretends to run containers, so it cannot run a command in one");
    }
    return node;
  }

  private static InetSocketAddress address(String endpoint, String nodeName) {
    try {
      URI uri = URI.create("tcp://" + endpoint);
      if (uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException(endpoint);
      }
      return InetSocketAddress.createUnresolved(uri.getHost().replaceAll("^\\[|]$", ""), uri.getPort());
    } catch (IllegalArgumentException e) {
      throw ApiException.serviceUnavailable("the agent of node " + q(nodeName) + " announces an invalid exec "
          + "endpoint " + q(endpoint), 0);
    }
  }

  private static boolean flag(Call call, String name) {
    String value = call.queryOr(name, "false");
    return value.equals("true") || value.equals("1");
  }

  private static String q(String s) {
    return Authorizer.quote(s);
  }
}
