package io.daemonset.auth;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Node credentials kept as cluster state rather than in tokens.csv (see {@code cluster.NodeCredentials}): every
 * member knows every node's credential, and a deleted Node's credential is gone everywhere.
 * {@link TokenFile#useClusterCredentials} makes the API authenticate with them after the file's tokens.
 */
public interface NodeCredentialSource {

  /** The node identity a token stands for, as this member knows it now. */
  Optional<Identity> authenticate(String token);

  /**
   * As {@link #authenticate}, but waits a moment for a token this member has not seen yet: a credential another
   * member has just issued reaches this one's copy a few hundred milliseconds later, and the agent's next request
   * may land here first. Completes empty when the token is still unknown after the wait.
   */
  CompletionStage<Optional<Identity>> authenticateSoon(String token);

  /** The current credential of a node (it also keys the node's exec tickets). */
  Optional<String> tokenOf(String nodeName);
}
