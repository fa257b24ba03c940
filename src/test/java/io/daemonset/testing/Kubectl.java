package io.daemonset.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl against a kubeconfig, each call with a fresh {@code --cache-dir} and a private HOME (so no call
 * sees another's discovery cache or the user's own config).
 */
public final class Kubectl {
  /** What one call printed, and how it exited. */
  public record Result(int exit, String out, String err) {
    /** stdout then stderr. */
    public String all() {
      return out + err;
    }
  }

  private static final long RUN_LIMIT_SECONDS = 90;

  private final Path kubeconfig;
  private final Path scratch;
  private final String binary;

  /** scratch: a directory for the calls' HOMEs, caches and output files. */
  public Kubectl(Path kubeconfig, Path scratch) {
    this(kubeconfig, scratch, "kubectl");
  }

  /** A particular kubectl binary (the version matrix). */
  public Kubectl(Path kubeconfig, Path scratch, String binary) {
    this.kubeconfig = kubeconfig;
    this.scratch = scratch;
    this.binary = binary;
  }

  /** Whether a kubectl is on the PATH. */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs kubectl to its end (at most 90 s). */
  public Result run(String... args) {
    try (Running running = start(args)) {
      return running.awaitExit(RUN_LIMIT_SECONDS);
    }
  }

  /** Runs kubectl to its end and fails the test, with the command and all it printed, unless it exits 0. */
  public Result ok(String... args) {
    Result result = run(args);
    assertThat(result.exit()).as(described(args, result)).isZero();
    return result;
  }

  /** Runs kubectl to its end and fails the test, with the command and all it printed, if it exits 0. */
  public Result fails(String... args) {
    Result result = run(args);
    assertThat(result.exit()).as(described(args, result)).isNotZero();
    return result;
  }

  /** The STATUS column of {@code get pod POD --no-headers} (Running, Init:Error, …), or what kubectl said if not. */
  public String podStatus(String pod) {
    Result row = run("get", "pod", pod, "--no-headers");
    return row.exit() == 0 ? row.out().trim().split("\\s+")[2] : row.all();
  }

  /** "kubectl ARGS: OUTPUT", or with the binary's path for a versioned kubectl (the version matrix). */
  private String described(String[] args, Result result) {
    return binary + " " + String.join(" ", args) + ": " + result.all();
  }

  /** stdout and stderr of a call, trimmed, whatever its exit: for probes that poll until an answer looks right. */
  public String output(String... args) {
    return run(args).all().trim();
  }

  /** Runs kubectl to its end with this stdin (null: none) and these extra environment variables. */
  public Result run(String input, java.util.Map<String, String> env, String... args) {
    try (Running running = start(input, env, args)) {
      return running.awaitExit(RUN_LIMIT_SECONDS);
    }
  }

  /** Starts a command that does not end by itself ({@code get -w}); read it with {@link Running#out()}. */
  public Running start(String... args) {
    return start(null, java.util.Map.of(), args);
  }

  private Running start(String input, java.util.Map<String, String> env, String... args) {
    try {
      Files.createDirectories(scratch);
      Path home = Files.createTempDirectory(scratch, "home");
      List<String> command = new ArrayList<>(List.of(binary, "--kubeconfig", kubeconfig.toString(),
          "--cache-dir", home.resolve("cache").toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("HOME", home.toString());
      builder.environment().remove("KUBECONFIG");
      Path out = home.resolve("stdout");
      Path err = home.resolve("stderr");
      builder.environment().putAll(env);
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      if (input == null) {
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
      } else {
        Path in = home.resolve("stdin");
        Files.writeString(in, input, StandardCharsets.UTF_8);
        builder.redirectInput(in.toFile());
      }
      Process process = builder.start();
      if (input == null) {
        process.getOutputStream().close();
      }
      return new Running(String.join(" ", args), process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A kubectl process that is running; closing it stops it. */
  public static final class Running implements AutoCloseable {
    private final String args;
    private final Process process;
    private final Path out;
    private final Path err;

    private Running(String args, Process process, Path out, Path err) {
      this.args = args;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    /** What it printed on stdout so far. */
    public String out() {
      return read(out);
    }

    /** Waits for it to end by itself. */
    public Result awaitExit(long seconds) {
      try {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
          throw new AssertionError("kubectl " + args + " did not finish in " + seconds + " s");
        }
        return new Result(process.exitValue(), read(out), read(err));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Stops it (SIGTERM) and returns what it printed. */
    public Result stop() {
      process.destroy();
      return awaitExit(10);
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
