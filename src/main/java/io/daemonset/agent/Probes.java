package io.daemonset.agent;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerPort;
import io.daemonset.model.HttpGetAction;
import io.daemonset.model.HttpHeader;
import io.daemonset.model.IntOrString;
import io.daemonset.model.Probe;
import io.daemonset.model.TcpSocketAction;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs one probe once, as the kubelet's prober does: exec (the command exits 0 within timeoutSeconds), httpGet (an
 * answer from 200 to 399 within the timeout; redirects are not followed, https is not verified, as upstream) and
 * tcpSocket (a connection opens within the timeout). Blocking; a probe worker calls it on a probe thread.
 */
public final class Probes {

  /** The outcome of one probe: success, and a message for logs when it failed. */
  public record Result(boolean success, String message) {
    static Result ok() {
      return new Result(true, null);
    }

    static Result fail(String message) {
      return new Result(false, message);
    }
  }

  /**
   * Where a probe runs: the default host (a process runtime container shares the node's network: 127.0.0.1), the
   * container (for named ports), and for exec its working directory and environment.
   */
  public record Target(String host, Container container, Path workingDir, Map<String, String> env) {}

  private Probes() {}

  public static Result run(Probe probe, Target target) {
    Duration timeout = Duration.ofSeconds(Math.max(1, probe.timeoutSecondsOrDefault()));
    try {
      if (probe.exec() != null) {
        return exec(probe.exec().command(), target, timeout);
      }
      if (probe.httpGet() != null) {
        return httpGet(probe.httpGet(), target, timeout);
      }
      if (probe.tcpSocket() != null) {
        return tcpSocket(probe.tcpSocket(), target, timeout);
      }
      return Result.fail("the probe has no handler (exec, httpGet or tcpSocket)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.fail("interrupted");
    } catch (RuntimeException e) {
      return Result.fail(e.toString());
    }
  }

  static Result exec(List<String> command, Target target, Duration timeout) throws InterruptedException {
    if (command == null || command.isEmpty()) {
      return Result.fail("exec probe without a command");
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (target.workingDir() != null) {
      builder.directory(target.workingDir().toFile());
    }
    if (target.env() != null) {
      builder.environment().putAll(target.env());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return Result.fail("exec " + command + ": " + e.getMessage());
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      return Result.fail("command " + command + " timed out after " + timeout.toSeconds() + "s");
    }
    int code = process.exitValue();
    return code == 0 ? Result.ok() : Result.fail("command " + command + " exited with " + code);
  }

  static Result httpGet(HttpGetAction action, Target target, Duration timeout) {
    int port = port(action.port(), target.container());
    String scheme = action.scheme() == null ? "http" : action.scheme().toLowerCase(java.util.Locale.ROOT);
    String host = action.host() == null || action.host().isEmpty() ? target.host() : action.host();
    String path = action.path() == null || action.path().isEmpty() ? "/" : action.path();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    URI uri = URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path);
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection();
      if (connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(TRUST_ALL.getSocketFactory());
        https.setHostnameVerifier((h, s) -> true);
      }
      connection.setInstanceFollowRedirects(false);
      connection.setConnectTimeout((int) timeout.toMillis());
      connection.setReadTimeout((int) timeout.toMillis());
      connection.setRequestProperty("User-Agent", "kube-probe/1.32");
      connection.setRequestProperty("Accept", "*/*");
      if (action.httpHeaders() != null) {
        for (HttpHeader h : action.httpHeaders()) {
          connection.setRequestProperty(h.name(), h.value());
        }
      }
      int code = connection.getResponseCode();
      return code >= 200 && code < 400 ? Result.ok() : Result.fail("HTTP probe failed with statuscode: " + code);
    } catch (IOException e) {
      return Result.fail("Get \"" + uri + "\": " + e);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  static Result tcpSocket(TcpSocketAction action, Target target, Duration timeout) {
    int port = port(action.port(), target.container());
    String host = action.host() == null || action.host().isEmpty() ? target.host() : action.host();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return Result.ok();
    } catch (IOException e) {
      return Result.fail("dial tcp " + host + ":" + port + ": " + e.getMessage());
    }
  }

  /** A number, a numeric string, or the name of one of the container's ports. */
  static int port(IntOrString port, Container container) {
    if (port == null) {
      throw new IllegalArgumentException("the probe has no port");
    }
    if (port.isInt()) {
      return port.intValue();
    }
    String name = port.stringValue();
    if (name.matches("\\d+")) {
      return Integer.parseInt(name);
    }
    List<ContainerPort> ports = container == null || container.ports() == null ? List.of() : container.ports();
    return ports.stream().filter(p -> name.equals(p.name()) && p.containerPort() != null)
        .map(ContainerPort::containerPort).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the container has no port named " + name));
  }

  private static final SSLContext TRUST_ALL = trustAll();

  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
