package io.daemonset.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent's own small HTTP endpoint, the part of the kubelet's API the control plane needs to serve
 * {@code kubectl logs}: {@code GET /containerLogs/<namespace>/<pod>/<container>} answers the container's log file
 * (optionally {@code ?tailLines=N} and/or {@code ?limitBytes=N}), and {@code /healthz} answers ok. Plain HTTP, no
 * authentication: bind it to loopback (the default) or a private network only.
 */
public final class LogServer implements AutoCloseable {

  /** Finds a container's log file. */
  @FunctionalInterface
  public interface Logs {
    Optional<Path> find(String namespace, String pod, String container);
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String advertisedHost;

  private LogServer(HttpServer server, ExecutorService executor, String advertisedHost) {
    this.server = server;
    this.executor = executor;
    this.advertisedHost = advertisedHost;
  }

  /** Binds bindHost:port (0: any free port); the endpoint advertises advertisedHost with the bound port. */
  public static LogServer start(String bindHost, int port, String advertisedHost, Logs logs) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bindHost, port), 0);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "agent-logs");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", exchange -> answer(exchange, 200, "ok"));
    server.createContext("/containerLogs/", exchange -> serveLog(exchange, logs));
    server.start();
    return new LogServer(server, executor, advertisedHost);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** http://host:port, recorded in the Node's {@value NodeReporter#ENDPOINT_ANNOTATION} annotation. */
  public String endpoint() {
    String host = advertisedHost.contains(":") ? "[" + advertisedHost + "]" : advertisedHost;
    return "http://" + host + ":" + port();
  }

  private static void serveLog(HttpExchange exchange, Logs logs) throws IOException {
    try (exchange) {
      serveLogOrFail(exchange, logs);
    }
  }

  private static void serveLogOrFail(HttpExchange exchange, Logs logs) throws IOException {
    try {
      if (!"GET".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, "method not allowed");
        return;
      }
      String[] parts = exchange.getRequestURI().getRawPath().substring("/containerLogs/".length()).split("/");
      if (parts.length != 3) {
        answer(exchange, 404, "want /containerLogs/<namespace>/<pod>/<container>");
        return;
      }
      String ns = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      String pod = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
      String container = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
      Optional<Path> file = logs.find(ns, pod, container);
      if (file.isEmpty() || !Files.exists(file.get())) {
        answer(exchange, 404, "container \"" + container + "\" in pod \"" + pod + "\" in namespace \"" + ns
            + "\" has no log here");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      byte[] body = read(file.get(), number(query.get("tailLines")), number(query.get("limitBytes")));
      exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (RuntimeException e) {
      answer(exchange, 400, String.valueOf(e.getMessage()));
    }
  }

  /** The file, or its last tailLines lines, cut to limitBytes. */
  static byte[] read(Path file, Long tailLines, Long limitBytes) throws IOException {
    byte[] bytes;
    if (tailLines == null) {
      try (InputStream in = Files.newInputStream(file)) {
        bytes = limitBytes == null ? in.readAllBytes() : in.readNBytes((int) Math.min(limitBytes, Integer.MAX_VALUE));
      }
      return bytes;
    }
    bytes = tail(file, tailLines);
    if (limitBytes != null && bytes.length > limitBytes) {
      byte[] cut = new byte[(int) (long) limitBytes];
      System.arraycopy(bytes, 0, cut, 0, cut.length);
      return cut;
    }
    return bytes;
  }

  private static byte[] tail(Path file, long lines) throws IOException {
    if (lines <= 0) {
      return new byte[0];
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long end = raf.length();
      long pos = end;
      long newlines = 0;
      // a final newline ends the last line, it does not start another
      if (end > 0) {
        raf.seek(end - 1);
        if (raf.read() == '\n') {
          pos = end - 1;
        }
      }
      byte[] buf = new byte[8192];
      long start = 0;
      outer:
      while (pos > 0) {
        int n = (int) Math.min(buf.length, pos);
        pos -= n;
        raf.seek(pos);
        raf.readFully(buf, 0, n);
        for (int i = n - 1; i >= 0; i--) {
          if (buf[i] == '\n' && ++newlines == lines) {
            start = pos + i + 1;
            break outer;
          }
        }
      }
      byte[] out = new byte[(int) (end - start)];
      raf.seek(start);
      raf.readFully(out);
      return out;
    }
  }

  private static Long number(String s) {
    return s == null || s.isEmpty() ? null : Long.parseLong(s);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  private static void answer(HttpExchange exchange, int code, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
