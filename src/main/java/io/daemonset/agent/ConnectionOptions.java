package io.daemonset.agent;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How {@code agent} and {@code fleet} reach the API server (a picocli mixin): the server URL, its CA and a token
 * file, or a kubeconfig instead. Which token each command wants is said in its own help footer.
 */
public final class ConnectionOptions {
  @Option(names = "--server", description = "API server URL, e.g. https://127.0.0.1:6443")
  String server;

  @Option(names = "--ca-file", description = "CA certificate (PEM) the API server's certificate is signed by")
  Path caFile;

  @Option(names = "--token-file", description = "file holding the bearer token (see below for which)")
  Path tokenFile;

  @Option(names = "--kubeconfig", description = "take server, CA and token from this kubeconfig instead")
  Path kubeconfig;

  @Option(names = "--context", description = "kubeconfig context (default: current-context)")
  String context;

  /** The API these options name; IllegalArgumentException if they name none. */
  ApiTarget target() {
    if (kubeconfig != null) {
      return ApiTarget.fromKubeconfig(kubeconfig, context);
    }
    if (server == null) {
      throw new IllegalArgumentException("give --server (with --ca-file and --token-file) or --kubeconfig");
    }
    return ApiTarget.fromFiles(server, caFile, tokenFile);
  }
}
