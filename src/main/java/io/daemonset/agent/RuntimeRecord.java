package io.daemonset.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonset.model.ContainerState;
import io.daemonset.model.Json;
import io.daemonset.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

/**
 * What the process runtime writes to {@code <work-dir>/pods/<ns>_<name>/state.json} so that after its own restart
 * it can adopt the processes it started (or kill them) instead of starting them twice: the pod as last seen, and
 * per container the pid and the process's start time (a pid alone may have been reused), the restart count, the
 * last termination and the crash backoff.
 */
public record RuntimeRecord(Pod pod, Instant podStartTime, Map<String, Container> containers) {
  public static final String FILE_NAME = "state.json";
  private static final ObjectMapper MAPPER = Json.mapper();

  /**
   * One container.
   *
   * @param pid 0 when no process runs
   * @param processStartMillis the process's start time as the OS reports it, epoch milliseconds
   */
  public record Container(long pid, long processStartMillis, Instant startedAt, int restartCount,
                          ContainerState.Terminated terminated, ContainerState.Terminated lastTermination,
                          CrashBackoff backoff) {}

  public static RuntimeRecord read(Path podDir) throws IOException {
    return MAPPER.readValue(podDir.resolve(FILE_NAME).toFile(), RuntimeRecord.class);
  }

  /** Written to a temporary file then moved over the old one, so a crash leaves the old or the new. */
  public void write(Path podDir) {
    try {
      Files.createDirectories(podDir);
      Path tmp = podDir.resolve(FILE_NAME + ".tmp");
      Files.write(tmp, MAPPER.writeValueAsBytes(this));
      Files.move(tmp, podDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record pod state in " + podDir, e);
    }
  }
}
