package io.daemonset.agent;

import io.daemonset.model.Release;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent makes of the API server's version, which every answer names ({@link Release#HEADER}): it logs the
 * skew and never fails on it. One release either way is supported (an upgrade replaces the control plane's members,
 * then the agents, or the other way round); more is logged as a warning, and the agent goes on: refusing to work
 * would turn a version mistake into a fleet outage.
 */
final class ServerSkew {
  private static final Logger LOG = LoggerFactory.getLogger(ServerSkew.class);
  /** Once per JVM for each agent/server pair: a hollow fleet has thousands of clients of one server. */
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private final String agentVersion;
  private final Optional<Release> agent;
  private volatile String lastSeen;
  private volatile Release.Skew skew = Release.Skew.UNKNOWN;

  /** @param agentVersion this agent's version; empty when it does not know it (run from classes, not a jar) */
  ServerSkew(Optional<String> agentVersion) {
    this.agentVersion = agentVersion.orElse("unknown");
    this.agent = agentVersion.flatMap(Release::parse);
  }

  String agentVersion() {
    return agentVersion;
  }

  /** The server's version as its last answer named it; empty before any answer, or from a server that names none. */
  Optional<String> serverVersion() {
    return Optional.ofNullable(lastSeen).filter(v -> !v.isEmpty());
  }

  Release.Skew skew() {
    return skew;
  }

  /** An answer arrived naming this version (empty: it named none). Cheap when nothing changed. */
  void observed(Optional<String> serverVersion) {
    String seen = serverVersion.map(String::strip).orElse("");
    if (seen.equals(lastSeen)) {
      return;
    }
    lastSeen = seen;
    if (agent.isEmpty()) {
      return; // a build without a version (tests from classes): nothing to compare
    }
    Release.Skew now = agent.get().skewOf(seen.isEmpty() ? null : seen);
    skew = now;
    if (now == Release.Skew.SAME || !LOGGED.add(agentVersion + " -> " + seen)) {
      return;
    }
    if (now.supported()) {
      LOG.info("the API server runs {}, this agent {}: one release apart, within the supported skew of one release"
          + " either way", seen, agentVersion);
    } else if (now == Release.Skew.UNKNOWN) {
      LOG.info("the API server does not name a version this agent ({}) can compare ({}): a release from before"
          + " servers named theirs, or another server; version skew not checked", agentVersion,
          seen.isEmpty() ? "no " + Release.HEADER + " header" : seen);
    } else {
      LOG.warn("the API server runs {}, this agent {}: more than one release apart, beyond the supported skew of one"
          + " release either way; the agent keeps working, but upgrade one release at a time", seen, agentVersion);
    }
  }
}
