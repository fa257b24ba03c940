package io.daemonset.placement;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerPort;
import io.daemonset.model.PodSpec;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The host ports a pod takes on its node, as upstream's NodePorts filter counts them: each {@code hostPort},
 * and under {@code hostNetwork} each {@code containerPort} (the container listens on the host's network).
 * Two pods conflict when they take one protocol/port and their host IPs overlap (0.0.0.0 overlaps every IP).
 */
public final class HostPorts {
  private HostPorts() {}

  record Taken(String protocol, String hostIP, int port) {
    boolean overlaps(Taken other) {
      return protocol.equals(other.protocol) && port == other.port
          && (hostIP.equals(other.hostIP) || hostIP.equals("0.0.0.0") || other.hostIP.equals("0.0.0.0"));
    }
  }

  static Set<Taken> taken(PodSpec spec) {
    Set<Taken> out = new HashSet<>();
    if (spec == null || spec.containers() == null) {
      return out;
    }
    boolean hostNetwork = Boolean.TRUE.equals(spec.hostNetwork());
    for (Container c : spec.containers()) {
      for (ContainerPort p : c.ports() == null ? List.<ContainerPort>of() : c.ports()) {
        Integer port = p.hostPort() != null && p.hostPort() > 0 ? p.hostPort()
            : hostNetwork ? p.containerPort() : null;
        if (port != null && port > 0) {
          out.add(new Taken(p.protocol() == null ? "TCP" : p.protocol(),
              p.hostIP() == null || p.hostIP().isEmpty() ? "0.0.0.0" : p.hostIP(), port));
        }
      }
    }
    return out;
  }

  /** True when the wanted pod asks for a host port one of the admitted pods already takes. */
  public static boolean conflict(Collection<PodSpec> admitted, PodSpec wanted) {
    Set<Taken> asked = taken(wanted);
    if (asked.isEmpty()) {
      return false;
    }
    for (PodSpec spec : admitted) {
      for (Taken t : taken(spec)) {
        if (asked.stream().anyMatch(t::overlaps)) {
          return true;
        }
      }
    }
    return false;
  }
}
