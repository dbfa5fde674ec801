package io.tycostream.triggers.cluster;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on this node exactly the sources the current membership assigns to it ({@link SourceAssignment}): on every
 * membership view it stops the units of sources that moved away and starts those that moved here. Views are applied
 * one at a time, in order; a view that arrives while one is applied replaces any view still waiting, since only the
 * latest matters.
 * <p>
 * Safety does not rest on this: two nodes may briefly both believe they own a source (their views differ for a
 * moment), and the fencing epoch the unit takes at start makes the older owner's next commit fail. This class only
 * decides who should be running what.
 * <p>
 * Not thread-safe: call {@link #apply} from one context (the membership listener's).
 */
public final class OwnedSources {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedSources.class);

  private final List<String> sources;
  private final Function<String, Future<Void>> startUnit;
  private final Function<String, Future<Void>> stopUnit;
  private final Set<String> running = new LinkedHashSet<>();
  private boolean applying;
  private MembershipView waiting;
  private MembershipView latest;
  private boolean closed;

  /**
   * @param sources   every configured source, the same list on every node
   * @param startUnit starts (takes) a source's unit on this node
   * @param stopUnit  stops it; must not fail
   */
  public OwnedSources(List<String> sources, Function<String, Future<Void>> startUnit,
                      Function<String, Future<Void>> stopUnit) {
    this.sources = List.copyOf(sources);
    this.startUnit = Objects.requireNonNull(startUnit, "startUnit");
    this.stopUnit = Objects.requireNonNull(stopUnit, "stopUnit");
  }

  /** Takes a new membership view: the units follow it once the view in progress, if any, is applied. */
  public void apply(MembershipView view) {
    if (closed) {
      return;
    }
    latest = view;
    waiting = view;
    if (!applying) {
      next();
    }
  }

  /**
   * Applies the latest view again: starts what should run here but does not (its start failed, or its unit stopped
   * itself after being fenced). The application calls this periodically.
   */
  public void reapply() {
    if (latest != null) {
      apply(latest);
    }
  }

  /** A unit stopped by itself (fenced by another node's take-over): no longer counted as running here. */
  public void unitStopped(String source) {
    running.remove(source);
  }

  /** The sources whose units this node runs now. */
  public Set<String> running() {
    return Set.copyOf(running);
  }

  /** Stops every unit this node runs and ignores later views. */
  public Future<Void> close() {
    closed = true;
    waiting = null;
    List<Future<Void>> stopped = new ArrayList<>();
    for (String source : List.copyOf(running)) {
      stopped.add(stopUnit.apply(source));
    }
    running.clear();
    return Future.join(stopped).mapEmpty();
  }

  private void next() {
    MembershipView view = waiting;
    waiting = null;
    if (view == null || closed) {
      applying = false;
      return;
    }
    applying = true;
    Set<String> owned = new HashSet<>(new SourceAssignment(view, sources).ownedBy(view.selfId()));
    List<Future<Void>> changes = new ArrayList<>();
    for (String source : List.copyOf(running)) {
      if (!owned.contains(source)) {
        LOG.info("source moves to another node, stopping its unit here [source: {}, members: {}]", source,
          view.size());
        running.remove(source);
        changes.add(stopUnit.apply(source));
      }
    }
    for (String source : sources) {
      if (owned.contains(source) && !running.contains(source)) {
        LOG.info("source assigned to this node, starting its unit [source: {}, members: {}]", source, view.size());
        running.add(source);
        changes.add(startUnit.apply(source).onFailure(failure -> {
          LOG.error("starting the unit of an assigned source failed, retried shortly [source: {}, cause: {}]", source,
            failure.getMessage());
          running.remove(source);
        }));
      }
    }
    Future.join(changes).onComplete(done -> next());
  }
}
