package io.daemonset.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The built jar run as a user runs it ({@code java [options] -jar daemonset-controller.jar COMMAND …}) in its own
 * JVM, its output appended to a log file (a process restarted on the same log keeps the earlier run's output before
 * its own): what the integration tests start serve, agent and fleet with, and the only place they launch a JVM.
 * Failsafe names the jar in the system property {@code daemonset.jar}.
 */
public final class JarProcess implements AutoCloseable {
  public static final Path JAR = Path.of(System.getProperty("daemonset.jar", "target/daemonset-controller.jar"));

  private final String name;
  private final Process process;
  private final Path log;

  private JarProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** {@code java -jar JAR args…}, output to log. */
  public static JarProcess start(Path log, String... args) {
    return start(log, List.of(), Map.of(), List.of(args));
  }

  /** {@code java jvmOptions… -jar JAR args…} with env added to this JVM's environment, output appended to log. */
  public static JarProcess start(Path log, List<String> jvmOptions, Map<String, String> env, List<String> args) {
    return start(JAR, log, jvmOptions, env, args);
  }

  /** The same from another jar (another release's, for an upgrade test). */
  public static JarProcess start(Path jar, Path log, List<String> jvmOptions, Map<String, String> env,
                                 List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    command.addAll(args);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      return new JarProcess(args.isEmpty() ? "java" : args.get(0), builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A port free right now, for a command line that needs one before the process starts, below the kernel's
   * ephemeral range: a port the kernel hands out for {@code bind(0)} is one it may also give any outgoing connection
   * (a member's database pool, another member's cluster link) in the seconds before the process binds it, which then
   * fails to start. Never the same port twice in one test JVM.
   */
  public static int freePort() {
    int high = ephemeralRangeStart();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = LOWEST_PORT + ThreadLocalRandom.current().nextInt(high - LOWEST_PORT);
      if (HANDED_OUT.add(port) && bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + LOWEST_PORT + "-" + high);
  }

  private static final int LOWEST_PORT = 20_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The first port of Linux's ephemeral range, or IANA's (49152) where that file is missing. */
  static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      return Math.max(LOWEST_PORT + 1_000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException unknown) {
      return 49_152;
    }
  }

  /**
   * Polls probe until done accepts its answer and returns that answer; fails at once, with its log, if one of the
   * watched processes exits, and after timeout with the last answer and the watched processes' log tails.
   */
  public static String await(String what, Duration timeout, Supplier<String> probe, Predicate<String> done,
      JarProcess... watched) {
    String[] last = {""};
    try {
      return Eventually.await(what, timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
        for (JarProcess p : watched) {
          p.assertAlive();
        }
        last[0] = probe.get();
        return last[0];
      }, done);
    } catch (ConditionTimeoutException e) {
      StringBuilder message = new StringBuilder("timed out waiting for " + what + "; last answer: " + last[0]);
      for (JarProcess p : watched) {
        message.append("\n").append(p.name).append(" log tail:\n").append(p.tail(40));
      }
      throw new AssertionError(message.toString(), e);
    }
  }

  /** Fails, with the log, if the process has exited; ends an {@link Eventually} wait at once. */
  public void assertAlive() {
    if (!process.isAlive()) {
      throw new Eventually.GiveUp(name + " exited with " + process.exitValue() + ":\n" + tail(80));
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The last lines of the log. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL, as a crash. */
  public void kill() {
    try {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, as a user's stop, without waiting: to stop several at once, then {@link #awaitExit} each. */
  public void terminate() {
    process.destroy();
  }

  /** Whether the process ended within timeout. */
  public boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM, as a user's stop; SIGKILL if it has not ended in 30 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
