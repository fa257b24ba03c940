package io.daemonset.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl against a kubeconfig, each call with a fresh --cache-dir and a private HOME. */
final class Kubectl {
  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private final Path kubeconfig;
  private final Path scratch;
  private final String binary;

  Kubectl(Path kubeconfig, Path scratch) {
    this(kubeconfig, scratch, "kubectl");
  }

  /** A particular kubectl binary (the version matrix). */
  Kubectl(Path kubeconfig, Path scratch, String binary) {
    this.kubeconfig = kubeconfig;
    this.scratch = scratch;
    this.binary = binary;
  }

  static boolean available() {
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

  Result run(String... args) {
    return run(null, args);
  }

  /** Runs a command that does not end by itself (get -w) for a while, then stops it and returns its output. */
  Result runFor(java.time.Duration duration, String... args) {
    return run(duration, args);
  }

  private Result run(java.time.Duration stopAfter, String... args) {
    try {
      Path home = Files.createTempDirectory(scratch, "home");
      Path cache = Files.createTempDirectory(scratch, "cache");
      List<String> command = new ArrayList<>(List.of(binary, "--kubeconfig", kubeconfig.toString(),
          "--cache-dir", cache.toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("HOME", home.toString());
      builder.environment().remove("KUBECONFIG");
      Path out = home.resolve("stdout");
      Path err = home.resolve("stderr");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      Process process = builder.start();
      process.getOutputStream().close();
      if (stopAfter != null) {
        if (!process.waitFor(stopAfter.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroy();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } else if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 90 s");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
