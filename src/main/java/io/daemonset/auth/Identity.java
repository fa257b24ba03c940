package io.daemonset.auth;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Who is calling: the authenticated user, as kube-apiserver's user.Info (name, uid, groups). */
public record Identity(String user, String uid, Set<String> groups) {

  public static final String MASTERS = "system:masters";
  public static final String VIEWERS = "viewers";
  public static final String NODES = "system:nodes";
  public static final String NODE_USER_PREFIX = "system:node:";
  public static final String AUTHENTICATED = "system:authenticated";
  /** Holders of a bootstrap token (users system:bootstrap:TOKEN-ID): they may only exchange it for a node's own. */
  public static final String BOOTSTRAPPERS = "system:bootstrappers";
  public static final String BOOTSTRAP_USER_PREFIX = "system:bootstrap:";

  /** Requests without a token on the plain-HTTP loopback listener (kube-apiserver's insecure port did the same). */
  public static final Identity INSECURE_LOOPBACK = new Identity("system:unsecured", "", Set.of(MASTERS, AUTHENTICATED));

  /** Requests without a token to the few endpoints anyone may read (/version). */
  public static final Identity ANONYMOUS = new Identity("system:anonymous", "", Set.of("system:unauthenticated"));

  public Identity {
    Objects.requireNonNull(user, "user");
    uid = uid == null ? "" : uid;
    groups = groups == null ? Set.of() : Set.copyOf(groups);
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }

  /** The same identity with system:authenticated added, as every token authenticator does upstream. */
  public Identity authenticated() {
    if (groups.contains(AUTHENTICATED)) {
      return this;
    }
    Set<String> more = new TreeSet<>(groups);
    more.add(AUTHENTICATED);
    return new Identity(user, uid, more);
  }

  /** For node agents: user system:node:NAME in group system:nodes. */
  public static Identity node(String nodeName, String uid) {
    return new Identity(NODE_USER_PREFIX + nodeName, uid, Set.of(NODES));
  }

  /** The node name when this is a node agent's identity. */
  public java.util.Optional<String> nodeName() {
    if (inGroup(NODES) && user.startsWith(NODE_USER_PREFIX)) {
      return java.util.Optional.of(user.substring(NODE_USER_PREFIX.length()));
    }
    return java.util.Optional.empty();
  }
}
