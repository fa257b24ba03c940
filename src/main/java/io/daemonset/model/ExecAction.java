package io.daemonset.model;

import java.util.List;

/** Run a command; exit code 0 means success. */
public record ExecAction(List<String> command) {}
