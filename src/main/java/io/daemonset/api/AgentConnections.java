package io.daemonset.api;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
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
  /**
   * Where requests to agents wait for their answers: a blocking send on one of these threads. Not the client's
   * sendAsync, which completes every response on CompletableFuture's default executor, a new thread per response
   * on 2 cores (a followed log polls its agent every second).
   */
  private final ExecutorService senders = Executors.newFixedThreadPool(16, r -> {
    Thread t = new Thread(r, "agent-proxy-send");
    t.setDaemon(true);
    return t;
  });

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

  /** Sends to an agent (logs, stats) on this server's own threads; the answer completes the future there. */
  <T> CompletableFuture<java.net.http.HttpResponse<T>> send(java.net.http.HttpRequest request,
                                                             java.net.http.HttpResponse.BodyHandler<T> body) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return http.send(request, body);
      } catch (java.io.IOException e) {
        throw new CompletionException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }, senders);
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
