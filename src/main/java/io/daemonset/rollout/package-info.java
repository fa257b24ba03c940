/**
 * Pure rollout decisions for a DaemonSet: plain Java over immutable records, no Pekko, no clock, no
 * I/O. Each decision returns its effects as data; the DaemonSet entity turns them into events.
 *
 * <ul>
 *   <li>{@link io.daemonset.rollout.TemplateHash}: the revision hash of a template (ComputeHash).
 *   <li>{@link io.daemonset.rollout.Revisions}, {@link io.daemonset.rollout.RevisionHistory}: revision
 *       data, names and numbers; which revision to create, renumber or trim (constructHistory,
 *       cleanupHistory).
 *   <li>{@link io.daemonset.rollout.RolloutPlanner}: per reconcile, which pods to create and delete and
 *       why (manage, podsShouldBeOnNode, rollingUpdate), with failed-pod backoff and a time to look
 *       again.
 *   <li>{@link io.daemonset.rollout.StatusCalculator}: the status counters (updateDaemonSetStatus).
 * </ul>
 *
 * <p>The behaviour is upstream's, pkg/controller/daemon of kubernetes/kubernetes; the tests port its
 * unit tests case by case under their upstream names. Where we differ, the class says so.
 */
package io.daemonset.rollout;
