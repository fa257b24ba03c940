package io.daemonset.agent;

import io.daemonset.auth.ExecTicket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's exec port, the kubelet's exec endpoint for the process runtime. The API server connects over TLS (its
 * client certificate from the cluster CA required, as for the log endpoint: {@link io.daemonset.auth.AgentTls}), sends an
 * {@link ExecTicket} frame, then relays the client's remote-command frames both ways. Every frame is a 4-byte
 * big-endian length and a payload; a payload is the channel.k8s.io message itself (one channel byte: 0 stdin,
 * 1 stdout, 2 stderr, 3 error, 4 resize, 255 close; then data), so the API server relays WebSocket messages as they
 * are. The command runs as a host process with the container's environment and working directory; the session ends
 * with a channel-3 Status (Success, or NonZeroExitCode with the exit code, as kubelet sends) and the connection's
 * close. The client going away (EOF) kills the command. tty=true runs the command on a pseudo-terminal ({@link Tty}:
 * util-linux script), stderr merged into stdout as a terminal merges them, and resize messages set its window size.
 */
public final class ExecServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecServer.class);
  static final int MAX_FRAME = 1 << 20;
  static final int MAX_SESSIONS = 16;
  static final byte STDIN = 0;
  static final byte STDOUT = 1;
  static final byte STDERR = 2;
  static final byte ERROR = 3;
  static final byte RESIZE = 4;
  static final byte CLOSE = (byte) 255;
  /** How long a tty session waits for the client's terminal size before starting the command without one. */
  static final java.time.Duration FIRST_SIZE_WAIT = java.time.Duration.ofSeconds(1);
  static final java.time.Duration HANDSHAKE_TIMEOUT = java.time.Duration.ofSeconds(10);

  /** Finds where a running container runs. */
  @FunctionalInterface
  public interface Containers {
    Optional<ContainerProcess.ExecContext> find(String namespace, String pod, String container);
  }

  private final SSLServerSocket server;
  private final ExecutorService sessions;
  private final String advertisedHost;
  private final Supplier<String> key;
  private final Containers containers;
  private final Clock clock;
  private final ExecTicket tickets = new ExecTicket();
  private volatile boolean closed;

  private ExecServer(SSLServerSocket server, String advertisedHost, Supplier<String> key, Containers containers,
                     Clock clock) {
    this.server = server;
    this.advertisedHost = advertisedHost;
    this.key = key;
    this.containers = containers;
    this.clock = clock;
    // Blocking I/O: each session holds a reader, two output pumps and its process; bounded, refusing when full.
    this.sessions = new ThreadPoolExecutor(0, 1 + MAX_SESSIONS * 3, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "agent-exec");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Binds bindHost:port (0: any free port) with TLS from tls, requiring a client certificate it trusts (the API
   * server's); key gives the node's credential token that signs tickets.
   */
  public static ExecServer start(String bindHost, int port, String advertisedHost, Supplier<String> key,
                                 Containers containers, Clock clock, SSLContext tls) throws IOException {
    SSLServerSocket socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
    socket.setNeedClientAuth(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port));
    ExecServer exec = new ExecServer(socket, advertisedHost, key, containers, clock);
    exec.sessions.execute(exec::acceptLoop);
    return exec;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** host:port, recorded in the Node's exec endpoint annotation. */
  public String endpoint() {
    String host = advertisedHost.contains(":") ? "[" + advertisedHost + "]" : advertisedHost;
    return host + ":" + port();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        try {
          sessions.execute(() -> session(socket));
        } catch (java.util.concurrent.RejectedExecutionException full) {
          socket.close();
        }
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("exec port: {}", e.getMessage());
        }
      }
    }
  }

  private void session(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      // the handshake and the ticket must come quickly; then the session may stay quiet as long as the client likes
      socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
      try {
        ((SSLSocket) socket).startHandshake();
      } catch (IOException refused) {
        LOG.warn("exec connection refused from {}: {}", socket.getRemoteSocketAddress(), refused.getMessage());
        return;
      }
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      Frames out = new Frames(new DataOutputStream(new BufferedOutputStream(socket.getOutputStream())));
      ExecTicket.Request request;
      try {
        request = tickets.verify(readFrame(in), key.get(), clock);
      } catch (RuntimeException | IOException refused) {
        LOG.warn("exec refused from {}: {}", socket.getRemoteSocketAddress(), refused.getMessage());
        out.status(ExecStatus.failure(403, "Forbidden", "exec refused by the node agent: " + refused.getMessage()));
        return;
      }
      socket.setSoTimeout(0);
      run(request, in, out);
    } catch (IOException e) {
      LOG.debug("exec session ended: {}", e.getMessage());
    }
  }

  private void run(ExecTicket.Request request, DataInputStream in, Frames out) throws IOException {
    Optional<ContainerProcess.ExecContext> context = containers.find(request.namespace(), request.pod(),
        request.container());
    if (context.isEmpty()) {
      out.status(ExecStatus.failure(400, "BadRequest", "container " + request.container() + " is not running in pod "
          + request.pod() + " on this node"));
      return;
    }
    // the client's frames are read from the start: a terminal's first size may come before the command starts
    CompletableFuture<Process> started = new CompletableFuture<>();
    CompletableFuture<Tty.Size> firstSize = new CompletableFuture<>();
    sessions.execute(() -> relayInput(in, started, firstSize));
    Tty.Size size = null;
    if (request.tty()) {
      try {
        // kubectl sends the terminal's size as soon as it is connected; a client that sends none waits this long
        size = firstSize.get(FIRST_SIZE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException none) {
        size = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    ProcessBuilder builder = new ProcessBuilder(request.tty() ? Tty.wrap(request.command(), size) : request.command())
        .directory(context.get().workingDir().toFile())
        .redirectErrorStream(request.tty());
    builder.environment().clear();
    builder.environment().putAll(context.get().env());
    if (request.tty()) {
      // as container runtimes do for a tty exec
      builder.environment().putIfAbsent("TERM", "xterm");
    }
    if (!request.stdin()) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      started.completeExceptionally(e);
      out.status(ExecStatus.failure(500, "InternalError", "Internal error occurred: error executing command in "
          + "container: failed to exec in container: " + (request.tty() ? "a terminal needs util-linux script "
          + "on the node: " : "exec: ") + e.getMessage()));
      return;
    }
    LOG.info("exec in {}/{} container {}{}: {}", request.namespace(), request.pod(), request.container(),
        request.tty() ? " with a terminal" : "", request.command());
    if (!request.stdin()) {
      process.getOutputStream().close();
    }
    var stdout = pump(process.getInputStream(), request.stdout() ? STDOUT : -1, out);
    var stderr = request.tty() ? null : pump(process.getErrorStream(), request.stderr() ? STDERR : -1, out);
    started.complete(process);
    try {
      int exit = process.waitFor();
      stdout.get();
      if (stderr != null) {
        stderr.get();
      }
      out.status(exit == 0 ? ExecStatus.success() : ExecStatus.exitCode(request.command(), exit));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (java.util.concurrent.ExecutionException e) {
      process.destroyForcibly();
    }
  }

  /** Copies a process stream into frames of one channel (or drops it: channel -1, the client did not ask for it). */
  private java.util.concurrent.Future<?> pump(InputStream from, int channel, Frames out) {
    return sessions.submit(() -> {
      byte[] buffer = new byte[8192];
      try (from) {
        int n;
        while ((n = from.read(buffer)) >= 0) {
          if (channel >= 0 && n > 0) {
            out.data((byte) channel, buffer, n);
          }
        }
      } catch (IOException e) {
        LOG.debug("exec output ended: {}", e.getMessage());
      }
      return null;
    });
  }

  /**
   * The client's frames: stdin data, its close, terminal sizes (the first one before the command starts goes to
   * firstSize, later ones resize its terminal); EOF means the client left: kill the command.
   */
  private void relayInput(DataInputStream in, CompletableFuture<Process> started,
                          CompletableFuture<Tty.Size> firstSize) {
    Stdin stdin = new Stdin();
    started.thenAccept(stdin::attach);
    try {
      while (true) {
        byte[] frame = readFrame(in);
        if (frame.length == 0) {
          continue;
        }
        if (frame[0] == RESIZE) {
          Optional<Tty.Size> size = Tty.parseResize(frame, 1);
          if (size.isPresent() && !firstSize.complete(size.get()) && started.isDone()) {
            Tty.resize(started.join(), size.get());
          }
        } else if (frame[0] == STDIN) {
          stdin.write(frame, 1, frame.length - 1);
        } else if (frame[0] == CLOSE && frame.length > 1 && frame[1] == STDIN) {
          stdin.close();
        }
      }
    } catch (EOFException clientGone) {
      started.thenAccept(process -> {
        if (process.isAlive()) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      });
    } catch (IOException | java.util.concurrent.CompletionException e) {
      LOG.debug("exec input ended: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The command's stdin; what the client sends before the command started (while a terminal waits for its size) is
   * kept and written first, so reading the client's frames never waits for the command.
   */
  private static final class Stdin {
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    private boolean closeAsked;
    private OutputStream process;

    synchronized void attach(Process started) {
      process = started.getOutputStream();
      try {
        if (pending.size() > 0) {
          process.write(pending.toByteArray());
          process.flush();
        }
        if (closeAsked) {
          process.close();
        }
      } catch (IOException e) {
        LOG.debug("exec input ended: {}", e.getMessage());
      }
    }

    synchronized void write(byte[] data, int offset, int length) throws IOException {
      if (process == null) {
        pending.write(data, offset, length);
      } else {
        process.write(data, offset, length);
        process.flush();
      }
    }

    synchronized void close() throws IOException {
      closeAsked = true;
      if (process != null) {
        process.close();
      }
    }
  }

  static byte[] readFrame(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_FRAME) {
      throw new IOException("frame of " + length + " bytes");
    }
    byte[] frame = new byte[length];
    in.readFully(frame);
    return frame;
  }

  /** Frames written by several threads, one at a time. */
  private static final class Frames {
    private final DataOutputStream out;

    Frames(DataOutputStream out) {
      this.out = out;
    }

    synchronized void data(byte channel, byte[] data, int length) throws IOException {
      out.writeInt(length + 1);
      out.writeByte(channel);
      out.write(data, 0, length);
      out.flush();
    }

    void status(String json) throws IOException {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      data(ERROR, bytes, bytes.length);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    sessions.shutdownNow();
  }
}
