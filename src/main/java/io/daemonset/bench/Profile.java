package io.daemonset.bench;

import java.nio.file.Path;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** A JFR recording (the JDK's "profile" settings, CPU sampled every millisecond) of the measured part of a benchmark, when a file is given. */
final class Profile implements AutoCloseable {
  private final Recording recording;
  private final Path file;
  private boolean closed;

  private Profile(Recording recording, Path file) {
    this.recording = recording;
    this.file = file;
  }

  static Profile start(Path file) throws Exception {
    if (file == null) {
      return new Profile(null, null);
    }
    Recording recording = new Recording(Configuration.getConfiguration("profile"));
    recording.enable("jdk.ThreadStart").withStackTrace();
    // 1 ms rather than the settings' 10-20 ms: a benchmark's measured part lasts seconds, not minutes
    recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(1));
    recording.start();
    return new Profile(recording, file);
  }

  /** Ends the recording where the measured part ends, so that the reports printed after it stay out of the profile. */
  @Override
  public void close() throws Exception {
    if (recording != null && !closed) {
      closed = true;
      recording.stop();
      recording.dump(file);
      recording.close();
      System.err.println("JFR recording: " + file + " (jfr print --events jdk.ExecutionSample " + file + ")");
    }
  }
}
