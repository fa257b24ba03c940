package io.daemonset.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The agent's own small HTTP endpoint, the part of the kubelet's API the control plane needs to serve
 * {@code kubectl logs}: {@code GET /containerLogs/<namespace>/<pod>/<container>} answers the container's log file
 * (optionally {@code ?tailLines=N} and/or {@code ?limitBytes=N}; {@code ?offset=N} answers what was written from
 * byte N on, at most {@value #MAX_CHUNK} bytes; {@code timestamps=true}, {@code sinceTime} and {@code sinceSeconds}
 * prefix and filter the lines by the times {@link LogTimes} keeps), and {@code /healthz} answers ok. Every log answer says in
 * {@value #END_HEADER} the file offset its bytes end at, so the API server follows a log ({@code kubectl logs -f})
 * by asking again from there: no request here ever waits for new lines, so a follower that went away holds no
 * thread. The node agent serves it over TLS ({@link io.daemonset.auth.AgentTls}): a certificate from the cluster CA,
 * and only the API server's client certificate is let in, as on kubelet's authenticated port.
 */
public final class LogServer implements AutoCloseable {
  /** The response header carrying the offset in the log file where the answered bytes end. */
  public static final String END_HEADER = "X-Log-End";
  static final int MAX_CHUNK = 1 << 20;

  /** Bytes of a log and the file offset they end at. */
  record Chunk(byte[] bytes, long end) {}

  /** Finds a container's log file. */
  @FunctionalInterface
  public interface Logs {
    Optional<Path> find(String namespace, String pod, String container);
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String advertisedHost;
  private final boolean tls;

  private LogServer(HttpServer server, ExecutorService executor, String advertisedHost, boolean tls) {
    this.server = server;
    this.tls = tls;
    this.executor = executor;
    this.advertisedHost = advertisedHost;
  }

  /**
   * Binds bindHost:port (0: any free port) without TLS (for tests of the log reading); the endpoint advertises
   * advertisedHost with the bound port.
   */
  public static LogServer start(String bindHost, int port, String advertisedHost, Logs logs) throws IOException {
    return start(bindHost, port, advertisedHost, logs, (ns, pod, container) -> Optional.empty(),
        () -> "{\"pods\":[]}", null);
  }

  /**
   * As {@link #start(String, int, String, Logs)}, also serving the previous run's logs ({@code ?previous=true})
   * and answering {@code GET /stats} with stats' JSON.
   */
  public static LogServer start(String bindHost, int port, String advertisedHost, Logs logs, Logs previousLogs,
                                java.util.function.Supplier<String> stats, SSLContext tls) throws IOException {
    HttpServer server;
    if (tls == null) {
      server = HttpServer.create(new InetSocketAddress(bindHost, port), 0);
    } else {
      HttpsServer https = HttpsServer.create(new InetSocketAddress(bindHost, port), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls) {
        @Override
        public void configure(HttpsParameters params) {
          // only a client with a certificate the context's trust manager accepts (the API server's) gets an answer
          SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
          parameters.setNeedClientAuth(true);
          params.setSSLParameters(parameters);
        }
      });
      server = https;
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "agent-logs");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", exchange -> answer(exchange, 200, "ok"));
    server.createContext("/stats", exchange -> {
      try (exchange) {
        byte[] body = stats.get().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.createContext("/containerLogs/", exchange -> serveLog(exchange, logs, previousLogs));
    server.start();
    return new LogServer(server, executor, advertisedHost, tls != null);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** https://host:port (http:// without TLS), recorded in the Node's {@value NodeReporter#ENDPOINT_ANNOTATION} annotation. */
  public String endpoint() {
    String host = advertisedHost.contains(":") ? "[" + advertisedHost + "]" : advertisedHost;
    return (tls ? "https://" : "http://") + host + ":" + port();
  }

  private static void serveLog(HttpExchange exchange, Logs logs, Logs previousLogs) throws IOException {
    try (exchange) {
      boolean previous = "true".equals(query(exchange.getRequestURI().getRawQuery()).get("previous"));
      serveLogOrFail(exchange, previous ? previousLogs : logs);
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
      Long offset = number(query.get("offset"));
      boolean timestamps = "true".equals(query.get("timestamps"));
      Instant now = Instant.now();
      Long since = sinceNanos(query, now);
      Long limitBytes = number(query.get("limitBytes"));
      Chunk chunk = offset != null ? from(file.get(), offset)
          : read(file.get(), number(query.get("tailLines")), timestamps || since != null ? null : limitBytes);
      byte[] body = chunk.bytes();
      if (timestamps || since != null) {
        // every line read is stamped first (a line not seen before is stamped now), then filtered and prefixed
        LogTimes.catchUp(file.get(), now);
        body = LogTimes.render(file.get(), body, chunk.end() - body.length, timestamps, since, now);
        if (offset == null && limitBytes != null && body.length > limitBytes) {
          body = java.util.Arrays.copyOf(body, (int) (long) limitBytes);
        }
      }
      exchange.getResponseHeaders().add(END_HEADER, String.valueOf(chunk.end()));
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

  /**
   * What was written from offset on (at most {@link #MAX_CHUNK} bytes); from the start when the file is shorter
   * than offset (a log that was cut short starts again).
   */
  static Chunk from(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long start = offset > length || offset < 0 ? 0 : offset;
      byte[] out = new byte[(int) Math.min(MAX_CHUNK, length - start)];
      raf.seek(start);
      raf.readFully(out);
      return new Chunk(out, start + out.length);
    }
  }

  /** The file, or its last tailLines lines, cut to limitBytes; with the offset following the last line read. */
  static Chunk read(Path file, Long tailLines, Long limitBytes) throws IOException {
    if (tailLines == null) {
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = limitBytes == null ? in.readAllBytes()
            : in.readNBytes((int) Math.min(limitBytes, Integer.MAX_VALUE));
        return new Chunk(bytes, bytes.length);
      }
    }
    Chunk tail = tail(file, tailLines);
    if (limitBytes != null && tail.bytes().length > limitBytes) {
      byte[] cut = new byte[(int) (long) limitBytes];
      System.arraycopy(tail.bytes(), 0, cut, 0, cut.length);
      return new Chunk(cut, tail.end());
    }
    return tail;
  }

  private static Chunk tail(Path file, long lines) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long end = raf.length();
      if (lines <= 0) {
        return new Chunk(new byte[0], end);
      }
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
      return new Chunk(out, end);
    }
  }

  /** sinceTime (RFC 3339) or sinceSeconds before now, in epoch nanoseconds; null without either. */
  static Long sinceNanos(Map<String, String> query, Instant now) {
    Instant since = null;
    String time = query.get("sinceTime");
    Long seconds = number(query.get("sinceSeconds"));
    if (time != null && !time.isEmpty()) {
      since = OffsetDateTime.parse(time).toInstant();
    } else if (seconds != null) {
      since = now.minusSeconds(seconds);
    }
    return since == null ? null : since.getEpochSecond() * 1_000_000_000L + since.getNano();
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
