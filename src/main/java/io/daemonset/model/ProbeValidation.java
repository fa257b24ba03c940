package io.daemonset.model;

import java.util.ArrayList;
import java.util.List;

/** Probes as upstream's validateProbe / validateHandler check them. Runs after defaulting (thresholds set). */
final class ProbeValidation {
  private static final List<String> SCHEMES = List.of("HTTP", "HTTPS");

  private ProbeValidation() {}

  /** Liveness and startup probes: a probe that must succeed once to count, so successThreshold is 1. */
  static List<FieldError> liveness(Probe probe, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (probe == null) {
      return errs;
    }
    errs.addAll(probe(probe, path));
    if (probe.successThreshold() != null && probe.successThreshold() != 1) {
      errs.add(FieldError.invalid(path.child("successThreshold"), probe.successThreshold(), "must be 1"));
    }
    return errs;
  }

  static List<FieldError> readiness(Probe probe, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (probe == null) {
      return errs;
    }
    errs.addAll(probe(probe, path));
    if (probe.terminationGracePeriodSeconds() != null) {
      errs.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"), probe.terminationGracePeriodSeconds(),
          "must not be set for readinessProbes"));
    }
    return errs;
  }

  private static List<FieldError> probe(Probe p, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(handler(p, path));
    nonNegative(p.initialDelaySeconds(), path.child("initialDelaySeconds"), errs);
    nonNegative(p.timeoutSeconds(), path.child("timeoutSeconds"), errs);
    nonNegative(p.periodSeconds(), path.child("periodSeconds"), errs);
    nonNegative(p.successThreshold(), path.child("successThreshold"), errs);
    nonNegative(p.failureThreshold(), path.child("failureThreshold"), errs);
    if (p.terminationGracePeriodSeconds() != null && p.terminationGracePeriodSeconds() <= 0) {
      errs.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"), p.terminationGracePeriodSeconds(),
          "must be greater than 0"));
    }
    return errs;
  }

  /** Exactly one of exec, httpGet, tcpSocket; the second and later are forbidden, none is required. */
  private static List<FieldError> handler(Probe p, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    int handlers = 0;
    if (p.exec() != null) {
      handlers++;
      if (p.exec().command() == null || p.exec().command().isEmpty()) {
        errs.add(FieldError.required(path.child("exec", "command"), ""));
      }
    }
    if (p.httpGet() != null) {
      if (handlers++ > 0) {
        errs.add(FieldError.forbidden(path.child("httpGet"), "may not specify more than 1 handler type"));
      } else {
        errs.addAll(httpGet(p.httpGet(), path.child("httpGet")));
      }
    }
    if (p.tcpSocket() != null) {
      if (handlers++ > 0) {
        errs.add(FieldError.forbidden(path.child("tcpSocket"), "may not specify more than 1 handler type"));
      } else {
        errs.addAll(port(p.tcpSocket().port(), path.child("tcpSocket", "port")));
      }
    }
    if (handlers == 0) {
      errs.add(FieldError.required(path, "must specify a handler type"));
    }
    return errs;
  }

  private static List<FieldError> httpGet(HttpGetAction h, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (!MetaValidation.notEmpty(h.path())) {
      errs.add(FieldError.required(path.child("path"), ""));
    }
    errs.addAll(port(h.port(), path.child("port")));
    String scheme = h.scheme() == null ? "" : h.scheme();
    if (!SCHEMES.contains(scheme)) {
      errs.add(FieldError.notSupported(path.child("scheme"), scheme, SCHEMES));
    }
    if (h.httpHeaders() != null) {
      h.httpHeaders().forEach(header -> NameRules.httpHeaderName(header.name() == null ? "" : header.name())
          .forEach(m -> errs.add(FieldError.invalid(path.child("httpHeaders"), header.name(), m))));
    }
    return errs;
  }

  /** upstream ValidatePortNumOrName: a number in 1..65535 or an IANA-style port name. */
  static List<FieldError> port(IntOrString port, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    if (port == null) {
      NameRules.portNumber(0).forEach(m -> errs.add(FieldError.invalid(path, 0, m)));
    } else if (port.isInt()) {
      NameRules.portNumber(port.intValue()).forEach(m -> errs.add(FieldError.invalid(path, port.intValue(), m)));
    } else {
      NameRules.portName(port.stringValue()).forEach(m -> errs.add(FieldError.invalid(path, port.stringValue(), m)));
    }
    return errs;
  }

  private static void nonNegative(Integer value, FieldPath path, List<FieldError> errs) {
    if (value != null) {
      errs.addAll(MetaValidation.nonNegative(value, path));
    }
  }
}
