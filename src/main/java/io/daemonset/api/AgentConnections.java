package io.daemonset.api;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * How the API server reaches node agents (logs, stats, exec), as kube-apiserver reaches kubelets with
 * {@code --kubelet-client-certificate} and {@code --kubelet-certificate-authority}: over TLS, presenting its client
 * certificate from the cluster CA, and checking the agent's serving certificate against that CA and the endpoint's
 * host name. Set by {@link ApiServer} on every request it dispatches ({@link #KEY}); a route served without it (a test
 * composing routes by hand) cannot reach agents (503).
 */
public final class AgentConnections {
  static final AttributeKey<AgentConnections> KEY = AttributeKey.create("agent-connections", AgentConnections.class);

  private final SSLContext tls;
  private final HttpClient http;

  public AgentConnections(SSLContext tls) {
    this.tls = tls;
    SSLParameters parameters = tls.getDefaultSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).sslParameters(parameters)
        .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
        // an explicit executor: the JDK's default completes responses through ForkJoinPool.commonPool()
        .executor(Executors.newFixedThreadPool(2, r -> {
          Thread t = new Thread(r, "agent-proxy");
          t.setDaemon(true);
          return t;
        })).build();
  }

  /** The connections of the server that dispatched request; 503 when it has none. */
  static AgentConnections of(HttpRequest request) {
    Optional<AgentConnections> set = request.getAttribute(KEY);
    return set.orElseThrow(() -> ApiException.serviceUnavailable("this API server has no client certificate for "
        + "node agents", 0));
  }

  /** For logs and stats. */
  HttpClient http() {
    return http;
  }

  /** A client engine for an exec connection to host:port, verifying the agent's certificate names host. */
  SSLEngine engine(String host, int port) {
    SSLEngine engine = tls.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    return engine;
  }
}
