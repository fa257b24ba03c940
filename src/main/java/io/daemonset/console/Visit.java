package io.daemonset.console;

import io.daemonset.auth.Identity;

/**
 * One request of a signed-in user: the session, who its token stands for now, and what the layout shows.
 *
 * @param role "master" when the identity may change DaemonSets, "viewer" otherwise
 */
record Visit(Session session, Identity identity, boolean canAct) {
  String user() {
    return identity.user();
  }

  String csrf() {
    return session.csrf();
  }

  String role() {
    return canAct ? "master" : "viewer";
  }
}
