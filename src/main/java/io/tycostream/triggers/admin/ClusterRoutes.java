package io.tycostream.triggers.admin;

import io.tycostream.triggers.cluster.MembershipView;
import io.tycostream.triggers.store.SourceOwner;
import io.tycostream.triggers.store.Store;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/cluster}: this node's membership view and who runs each source, as operators script against:
 * <pre>{@code {"nodes": [{"id", "address", "self"}], "sources": [{"name", "owner", "epoch"}]}}</pre>
 * {@code sources} is what the store recorded (the owner that took each source last and its fencing epoch), so it is
 * the same on every node; {@code nodes} is this node's view. A single node lists itself, without an address.
 */
final class ClusterRoutes {

  static final String CLUSTER = "/api/v1/cluster";

  private final Store store;
  private final String selfId;
  private final Supplier<MembershipView> membership;

  /** @param membership the current view, or {@code null} when the service is not clustered */
  ClusterRoutes(Store store, String selfId, Supplier<MembershipView> membership) {
    this.store = Objects.requireNonNull(store, "store");
    this.selfId = Objects.requireNonNull(selfId, "selfId");
    this.membership = membership;
  }

  void mount(Router router) {
    router.get(CLUSTER).handler(this::describe);
  }

  private void describe(RoutingContext ctx) {
    JsonArray nodes = new JsonArray();
    if (membership == null) {
      nodes.add(new JsonObject().put("id", selfId).putNull("address").put("self", true));
    } else {
      MembershipView view = membership.get();
      view.members().forEach(member -> nodes.add(new JsonObject().put("id", member.id())
        .put("address", member.address()).put("self", member.id().equals(view.selfId()))));
    }
    store.listSourceOwners()
      .onSuccess(owners -> {
        JsonArray sources = new JsonArray();
        for (SourceOwner owner : owners) {
          // a released source (its owner stopped it) has no owner until another node takes it
          sources.add(new JsonObject().put("name", owner.source())
            .put("owner", owner.owner().isEmpty() ? null : owner.owner()).put("epoch", owner.epoch()));
        }
        ctx.json(new JsonObject().put("nodes", nodes).put("sources", sources));
      })
      .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }
}
