package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A watch whose client went away (or whose timeout cancelled it) before its subscription was cancelled: the view still
 * offers it changes, the queue refuses, and ending it again must not throw into the view.
 */
class WatchEndTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "watch-end");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void endingAWatchTheClientAlreadyEndedDoesNotThrow() {
    BoundedSourceQueue<String> queue = Source.<String>queue(4).to(Sink.cancelled()).run(system);
    // a cancelled stream refuses offers (a Failure result, as a client gone or a timed-out watch leaves it)
    org.awaitility.Awaitility.await().until(() -> !queue.offer("x").isEnqueued());

    // what the view's call used to do: the queue is done, completing it throws (into the view's apply)
    assertThatThrownBy(queue::complete).isInstanceOf(IllegalStateException.class);
    assertThatCode(() -> WatchRoute.end(queue)).doesNotThrowAnyException();
    assertThat(queue.offer("y").isEnqueued()).isFalse();
  }
}
