package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal for {@code kubectl exec -t}, which the JDK cannot open: the command runs under util-linux
 * {@code script} (present wherever util-linux is), which gives it a pty and copies the terminal's output to its
 * stdout and its stdin to the terminal, and returns the command's exit code ({@code -e}). A window size
 * (the remote-command resize channel) is set on the pty slave with {@code stty -F}, which makes the kernel send the
 * command SIGWINCH, as a terminal resize does; the size that arrives before the command starts is set first thing
 * inside the pty, so the command never sees a 0x0 terminal.
 */
final class Tty {
  static final Duration FIND_SLAVE = Duration.ofSeconds(2);

  /** A terminal size in character cells. */
  record Size(int width, int height) {}

  private Tty() {}

  /** The command line that runs command on a fresh pty of the given size (null: the pty's default). */
  static List<String> wrap(List<String> command, Size size) {
    StringBuilder line = new StringBuilder();
    if (size != null) {
      line.append("stty rows ").append(size.height()).append(" cols ").append(size.width()).append(" 2>/dev/null; ");
    }
    line.append("exec");
    for (String arg : command) {
      line.append(' ').append(quote(arg));
    }
    return List.of("script", "-q", "-e", "-f", "-c", line.toString(), "/dev/null");
  }

  /** arg as one word for sh: single-quoted, a single quote written as '\''. */
  static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /**
   * A resize message's payload (after the channel byte): {@code {"Width":W,"Height":H}}, as kubectl sends it; empty
   * for anything else.
   */
  static Optional<Size> parseResize(byte[] payload, int offset) {
    try {
      JsonNode json = Json.read(new String(payload, offset, payload.length - offset, StandardCharsets.UTF_8),
          JsonNode.class);
      int width = json.path("Width").asInt(-1);
      int height = json.path("Height").asInt(-1);
      return width < 0 || height < 0 || width > 65535 || height > 65535 ? Optional.empty()
          : Optional.of(new Size(width, height));
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }

  /** Sets the window size of the pty script opened (found through its child's stdin); whether it could. */
  static boolean resize(Process script, Size size) throws InterruptedException {
    Optional<Path> slave = slave(script);
    if (slave.isEmpty()) {
      return false;
    }
    try {
      Process stty = new ProcessBuilder("stty", "-F", slave.get().toString(), "rows", String.valueOf(size.height()),
          "cols", String.valueOf(size.width())).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return stty.waitFor(5, TimeUnit.SECONDS) && stty.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** The /dev/pts device script's child has as its stdin, once the child exists (waits up to FIND_SLAVE). */
  private static Optional<Path> slave(Process script) throws InterruptedException {
    Instant until = Instant.now().plus(FIND_SLAVE);
    while (script.isAlive()) {
      List<ProcessHandle> children = new ArrayList<>(script.children().toList());
      for (ProcessHandle child : children) {
        try {
          Path stdin = Files.readSymbolicLink(Path.of("/proc", String.valueOf(child.pid()), "fd", "0"));
          if (stdin.toString().startsWith("/dev/pts/")) {
            return Optional.of(stdin);
          }
        } catch (IOException | UnsupportedOperationException gone) {
          // not there yet, or gone
        }
      }
      if (Instant.now().isAfter(until)) {
        return Optional.empty();
      }
      // the child appears within milliseconds of script's start; this waits for it, not for time to pass
      Thread.sleep(10);
    }
    return Optional.empty();
  }
}
