package io.tycostream.triggers.admin;

import io.tycostream.triggers.bus.BusAddresses;
import io.tycostream.triggers.definition.DeliverIf;
import io.tycostream.triggers.definition.TriggerDefinition;
import io.tycostream.triggers.definition.ExpiryParser;
import io.tycostream.triggers.definition.RetryDefaults;
import io.tycostream.triggers.definition.TriggerDefinitionException;
import io.tycostream.triggers.definition.TriggerDefinitionParser.Checks;
import io.tycostream.triggers.definition.TriggerDefinitionParser.ParsedTrigger;
import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.definition.TriggerMode;
import io.tycostream.triggers.definition.WebhookSecret;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.source.SourceSchema;
import io.tycostream.triggers.store.NewTrigger;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.tycostream.triggers.store.StoredTrigger;
import io.tycostream.triggers.store.TriggerLimits;
import io.tycostream.triggers.store.TriggerStatus;
import io.tycostream.triggers.store.TriggerUpdate;
import io.tycostream.triggers.trigger.TriggerStateMachine;
import io.tycostream.triggers.trigger.condition.ConditionCompiler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Creates and deletes triggers, the one path shared by the REST API and the configured (demo) triggers: parse and
 * check the definition, compile its conditions against the source's discovered schema (asked over the bus), store
 * it with its secret (generated when none was given), and only then publish {@link BusAddresses#TRIGGERS_CHANGED}.
 * Nothing is stored when any check fails.
 * <p>
 * Failures are {@link io.tycostream.triggers.error.ServiceException}s: a {@link TriggerDefinitionException}, a
 * {@code ConditionException}, {@link ErrorCode#SOURCE_NOT_READY} or a {@code StoreException}. Call from a
 * Vert.x context; futures complete on it.
 */
public final class TriggerRegistration {

  /** Value of {@code change} in a {@code triggers.changed} message. */
  public static final String CREATED = "created";
  public static final String DELETED = "deleted";
  public static final String SECRET_ROTATED = "secret_rotated";
  public static final String UPDATED = "updated";
  public static final String MODE_CHANGED = "mode_changed";

  private static final Logger LOG = LoggerFactory.getLogger(TriggerRegistration.class);
  private static final String CLIENT_CERTIFICATE_FIELD = TriggerDefinitionParser.WEBHOOK + "."
      + TriggerDefinitionParser.CLIENT_CERTIFICATE;

  private final Vertx vertx;
  private final Store store;
  private final Set<String> sources;
  private final WebhookTargetPolicy targets;
  private final SecureRandom random = new SecureRandom();
  private final Checks checks;
  private final Clock clock;
  private final TriggerLimits limits;
  private final AuditRecorder audit;
  private RetryDefaults retryDefaults = RetryDefaults.STANDARD;
  private List<String> clientCertificates = List.of();

  /**
   * Without limits on the number of triggers (configured triggers are the operator's own).
   *
   * @param targets where webhook URLs may point ({@code delivery.require_https}, {@code delivery.allowed_targets})
   */
  public TriggerRegistration(Vertx vertx, Store store, Collection<String> sources, WebhookTargetPolicy targets) {
    this(vertx, store, sources, targets, TriggerLimits.NONE);
  }

  /**
   * @param limits how many triggers may exist in total and per source ({@code admin.max_triggers},
   *               {@code admin.max_triggers_per_source}); a creation beyond fails 409 {@code limit_reached}
   */
  public TriggerRegistration(Vertx vertx, Store store, Collection<String> sources, WebhookTargetPolicy targets,
                             TriggerLimits limits) {
    this(vertx, store, sources, targets, limits, Clock.systemUTC());
  }

  /** @param clock starts the overlap of a secret rotation */
  public TriggerRegistration(Vertx vertx, Store store, Collection<String> sources, WebhookTargetPolicy targets,
                             TriggerLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.sources = Set.copyOf(sources);
    this.targets = Objects.requireNonNull(targets, "targets");
    this.checks = new Checks(this.sources::contains, this::checkTarget, this::checkClientCertificate);
    this.audit = new AuditRecorder(store.audit());
  }

  /**
   * Sets what a trigger's {@code retry} and {@code timeout} fall back to and must keep within (the {@code delivery:}
   * configuration); {@link RetryDefaults#STANDARD} until called. Call before the first request.
   */
  public TriggerRegistration withRetryDefaults(RetryDefaults defaults) {
    this.retryDefaults = Objects.requireNonNull(defaults, "defaults");
    return this;
  }

  /**
   * Sets the names of the configured client certificates ({@code delivery.tls.client_certificates}) a trigger may
   * choose in {@code webhook.client_certificate}; none until called, so any name is refused. Call before the first
   * request.
   */
  public TriggerRegistration withClientCertificates(List<String> names) {
    this.clientCertificates = List.copyOf(names);
    return this;
  }

  /**
   * Reads a request body with this service's checks (configured sources, webhook target policy).
   *
   * @throws TriggerDefinitionException naming the field at fault
   */
  public ParsedTrigger parse(String body) {
    return TriggerDefinitionParser.parseRequest(body, checks);
  }

  /**
   * Checks, compiles and stores {@code request}, then announces it; the stored trigger holds the secret.
   *
   * @param actor who creates it (an API key's name, {@code config}), recorded as its author
   */
  public Future<StoredTrigger> create(ParsedTrigger request, String actor) {
    return create(request, new ChangeAuthor(actor, null));
  }

  /**
   * As {@link #create(ParsedTrigger, String)}, recording {@code trigger.create} in the audit log (right after the
   * store accepted it; the future completes once the entry is durable).
   */
  public Future<StoredTrigger> create(ParsedTrigger request, ChangeAuthor author) {
    String actor = author.actor();
    TriggerDefinition definition = request.definition();
    return Future.succeededFuture(definition)
        .map(this::recheck)
        .compose(checked -> schemaOf(definition.source()))
        .map(schema -> TriggerStateMachine.compile(definition.name(), schema, definition))
        .compose(compiled -> checkDeliverIf(definition))
        .compose(compiled -> store.createTrigger(new NewTrigger(definition.name(), definition.source(),
            definition.toJson(), request.secret() != null ? request.secret()
            : WebhookSecret.generate(random).value(), actor), limits)
            .recover(this::explainLimit))
        .onSuccess(stored -> {
          LOG.info("trigger created [trigger: {}, source: {}, by: {}]", stored.name(), stored.source(), actor);
          announce(stored.name(), stored.source(), CREATED);
        })
        .compose(stored -> audit.record(author, AuditRecorder.TRIGGER_CREATE, stored.name(), null,
            TriggerJson.trigger(stored)).map(stored));
  }

  /**
   * Deletes a trigger (its state and pending events go with it) and announces it.
   *
   * @return {@code false} if no trigger has that name
   */
  public Future<Boolean> delete(String name) {
    return delete(name, new ChangeAuthor(Actor.UNAUTHENTICATED_NAME, null));
  }

  /** As {@link #delete(String)}, recording {@code trigger.delete} (with the trigger as it was) in the audit log. */
  public Future<Boolean> delete(String name, ChangeAuthor author) {
    return store.getTrigger(name).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(false);
      }
      String source = found.get().source();
      return store.deleteTrigger(name).onSuccess(deleted -> {
        if (deleted) {
          LOG.info("trigger deleted [trigger: {}, source: {}]", name, source);
          announce(name, source, DELETED);
        }
      }).compose(deleted -> deleted
          ? audit.record(author, AuditRecorder.TRIGGER_DELETE, name, TriggerJson.trigger(found.get()), null)
              .map(true)
          : Future.succeededFuture(false));
    });
  }

  /**
   * Applies a {@code PATCH} ({@link TriggerPatch}) to a stored trigger, checks the result like a new definition
   * (conditions compiled against the source's schema when they changed), stores it if the trigger is still at
   * {@code expectedVersion}, and announces it. A change of conditions, or enabling a disabled trigger, has the
   * evaluator reconcile its matched state against a fresh snapshot before it evaluates again; a URL or client
   * certificate change applies to every event not delivered yet.
   *
   * @param expectedVersion the {@code If-Match} version, or {@code null} for any
   * @return the trigger as now stored; fails 404 {@code not_found}, 412 {@code precondition_failed}, or 400 naming
   *     the field
   */
  public Future<StoredTrigger> update(String name, String patchBody, Long expectedVersion, ChangeAuthor author) {
    String actor = author.actor();
    return store.getTrigger(name).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new ServiceException(ErrorCode.NOT_FOUND, "no trigger named '" + name + "'",
            "name"));
      }
      StoredTrigger current = found.get();
      if (expectedVersion != null && expectedVersion != current.version()) {
        return Future.failedFuture(stale(name, current.version(), expectedVersion));
      }
      TriggerPatch patch = TriggerPatch.apply(current, patchBody);
      TriggerDefinition before = TriggerDefinitionParser.parse(current.definitionJson());
      TriggerDefinition after = parse(patch.definitionJson()).definition();
      // new params (PUT …/params or a PATCH) move the conditions as much as new literals do
      boolean conditionsChanged = !after.fire().equals(before.fire())
          || !Objects.equals(after.clear(), before.clear()) || !after.params().equals(before.params())
          || !after.computed().equals(before.computed());
      boolean fieldsChanged = !after.fields().equals(before.fields());
      boolean enabling = patch.enabled() && !current.enabled();
      retryDefaults.check(after);
      // an expired trigger given a later expiry (or none) evaluates again, from a reconcile like enabling
      Instant now = clock.instant();
      boolean reviving = before.isExpiredAt(now) && !after.isExpiredAt(now);
      boolean reconcile = patch.enabled() && current.status() == TriggerStatus.ACTIVE
          && (conditionsChanged || enabling || reviving);
      Future<Void> compiled = conditionsChanged || fieldsChanged
          ? schemaOf(after.source()).map(schema -> {
            TriggerStateMachine.compile(after.name(), schema, after);
            return null;
          })
          : Future.succeededFuture();
      return compiled
          .compose(checked -> Objects.equals(after.deliverIf(), before.deliverIf()) ? Future.<Void>succeededFuture()
              : checkDeliverIf(after))
          .compose(checked -> store.updateTrigger(new TriggerUpdate(name, current.version(), after.toJson(),
              patch.enabled(), reconcile, actor)))
          .recover(failure -> Future.failedFuture(failure instanceof StoreException conflict
              && conflict.storeCode() == StoreErrorCode.CONFLICT
              ? stale(name, -1, current.version()) : failure))
          .onSuccess(stored -> {
            LOG.info("trigger updated [trigger: {}, version: {}, enabled: {}, reconcile: {}, by: {}]", name,
                stored.version(), stored.enabled(), reconcile, actor);
            announce(stored.name(), stored.source(), UPDATED);
          })
          .compose(stored -> audit.record(author, AuditRecorder.TRIGGER_UPDATE, name, TriggerJson.trigger(current),
              TriggerJson.trigger(stored)).map(stored));
    });
  }

  /**
   * Checks a {@code deliver_if} (#11) against the other source: another source than the trigger's own, its key of
   * that source's key arity, its {@code where} compiled against that source's schema (400 naming
   * {@code deliver_if.…}); refused with {@code include_snapshot} (snapshot FIREs are staged outside the gates) and in a
   * cluster, where the other source may run on another node.
   */
  private Future<Void> checkDeliverIf(TriggerDefinition definition) {
    DeliverIf gate = definition.deliverIf();
    if (gate == null) {
      return Future.succeededFuture();
    }
    if (definition.includeSnapshot()) {
      // the snapshot FIREs of a new trigger are staged before it is active, outside the gates
      return Future.failedFuture(new ServiceException(ErrorCode.INVALID_FIELD, "include_snapshot cannot be combined "
          + "with deliver_if: the FIREs of rows already matching would be sent without the gate", "include_snapshot"));
    }
    if (vertx.isClustered()) {
      return Future.failedFuture(new ServiceException(ErrorCode.INVALID_FIELD, "deliver_if is not supported in "
          + "cluster mode: the other source's state is only known on the node running it", "deliver_if"));
    }
    if (gate.source().equals(definition.source())) {
      return Future.failedFuture(new ServiceException(ErrorCode.INVALID_FIELD, "deliver_if.source must be another "
          + "source than the trigger's own (its own rows are what fire and clear test)", "deliver_if.source"));
    }
    return schemaOf(gate.source()).map(schema -> {
      if (gate.key().size() != schema.keyColumns().size()) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, "deliver_if.key has " + gate.key().size()
            + " values; source '" + gate.source() + "' is keyed by " + schema.keyColumns(), "deliver_if.key");
      }
      ConditionCompiler.compile(gate.where(), schema, "deliver_if.where");
      return null;
    });
  }

  private static ServiceException stale(String name, long version, long expected) {
    return new ServiceException(ErrorCode.PRECONDITION_FAILED, "trigger '" + name + "' changed since version "
        + expected + (version > 0 ? " (it is at version " + version + ")" : "") + "; read it again and retry");
  }

  /**
   * Replaces a trigger's signing secret ({@code secret}, or a generated one), keeps the replaced one signing until the
   * overlap ends, and announces the change so delivery re-reads the trigger before its next attempt.
   *
   * @param overlap zero replaces the secret at once
   * @param actor   who rotates it, recorded as the trigger's last author
   * @return the trigger as now stored, holding the new secret; fails with a {@code StoreException} of
   *     {@code NOT_FOUND} when no trigger has that name
   */
  public Future<StoredTrigger> rotateSecret(String name, WebhookSecret secret, Duration overlap, String actor) {
    return rotateSecret(name, secret, overlap, new ChangeAuthor(actor, null));
  }

  /**
   * As {@link #rotateSecret(String, WebhookSecret, Duration, String)}, recording {@code trigger.secret.rotate} in the
   * audit log (the secrets redacted: only that it changed and how long the replaced one signs).
   */
  public Future<StoredTrigger> rotateSecret(String name, WebhookSecret secret, Duration overlap,
                                            ChangeAuthor author) {
    String actor = author.actor();
    WebhookSecret next = secret != null ? secret : WebhookSecret.generate(random);
    Instant previousValidUntil = overlap.isZero() ? null : clock.instant().plus(overlap);
    return store.rotateSecret(name, next.value(), previousValidUntil, actor)
        .onSuccess(stored -> {
          LOG.info("trigger secret rotated [trigger: {}, previous secret valid until: {}, by: {}]", name,
              previousValidUntil == null ? "now" : previousValidUntil, actor);
          announce(stored.name(), stored.source(), SECRET_ROTATED);
        })
        .compose(stored -> audit.record(author, AuditRecorder.TRIGGER_SECRET_ROTATE, name, null,
            TriggerJson.rotated(stored)).map(stored));
  }

  /**
   * Switches a trigger between live and debug (#10) and announces it. The mode lives in the stored definition and the
   * store reads it when it writes each commit's events, so the switch applies from the next commit on: after
   * {@code LIVE}, later events are delivered and the suppressed ones recorded before stay unsent; after {@code DEBUG},
   * later events are suppressed and pending ones already recorded are still delivered. Nothing is re-evaluated and
   * the trigger keeps its matched-key state.
   *
   * @param actor who changes it, recorded as the trigger's last author
   * @return the trigger as now stored; fails with a {@code StoreException} of {@code NOT_FOUND} when no trigger has
   *     that name
   */
  public Future<StoredTrigger> changeMode(String name, TriggerMode mode, String actor) {
    return changeMode(name, mode, new ChangeAuthor(actor, null));
  }

  /** As {@link #changeMode(String, TriggerMode, String)}, recording {@code trigger.mode} in the audit log. */
  public Future<StoredTrigger> changeMode(String name, TriggerMode mode, ChangeAuthor author) {
    String actor = author.actor();
    return store.changeTriggerMode(name, mode.value(), actor)
        .compose(stored -> audit.record(author, AuditRecorder.TRIGGER_MODE, name, null,
            new JsonObject().put("mode", mode.value())).map(stored))
        .onSuccess(stored -> {
          LOG.info("trigger mode changed [trigger: {}, mode: {}, by: {}]", name, mode.value(), actor);
          announce(stored.name(), stored.source(), MODE_CHANGED);
        });
  }

  /**
   * The schema of {@code source} as its verticle last saw it; fails with 503 {@code source_not_ready} before the
   * source handed over its first batch, or when it does not answer within {@link BusAddresses#SOURCE_SCHEMA_TIMEOUT}.
   */
  public Future<SourceSchema> schemaOf(String source) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(BusAddresses.SOURCE_SCHEMA_TIMEOUT.toMillis());
    return vertx.eventBus().<SourceSchema>request(BusAddresses.sourceSchema(source), null, options)
        .map(Message::body)
        .recover(failure -> Future.failedFuture(new ServiceException(ErrorCode.SOURCE_NOT_READY,
            "source '" + source + "' has not discovered its schema yet (" + reason(failure) + "); retry shortly",
            TriggerDefinitionParser.SOURCE)));
  }

  /** A limit the store refused the creation for, said with its config field and value. */
  private <T> Future<T> explainLimit(Throwable failure) {
    if (failure instanceof StoreException refused && refused.storeCode() == StoreErrorCode.LIMIT_REACHED) {
      boolean perSource = TriggerDefinitionParser.SOURCE.equals(refused.field());
      String setting = perSource ? "admin.max_triggers_per_source = " + limits.maxPerSource()
          : "admin.max_triggers = " + limits.maxTotal();
      return Future.failedFuture(new ServiceException(ErrorCode.LIMIT_REACHED, "no more triggers can be created: "
          + refused.getMessage() + " (" + setting + "); delete one first", refused.field()));
    }
    return Future.failedFuture(failure);
  }

  /** A configured trigger bypassed {@link #parse}: apply the same service checks before anything else. */
  private TriggerDefinition recheck(TriggerDefinition definition) {
    if (!sources.contains(definition.source())) {
      throw new TriggerDefinitionException(ErrorCode.UNKNOWN_SOURCE, TriggerDefinitionParser.SOURCE,
          "no source named '" + definition.source() + "' is configured");
    }
    checkTarget(definition.webhookUrl());
    if (definition.alertTarget() != null) {
      targets.refusal(definition.alertTarget().uri()).ifPresent(refusal -> {
        throw new TriggerDefinitionException(ErrorCode.TARGET_NOT_ALLOWED, TriggerDefinitionParser.ALERT_URL,
            TriggerDefinitionParser.ALERT_URL + " refused: " + refusal);
      });
    }
    if (definition.webhook().clientCertificate() != null) {
      checkClientCertificate(definition.webhook().clientCertificate());
    }
    retryDefaults.check(definition);
    if (definition.isExpiredAt(clock.instant())) {
      throw new TriggerDefinitionException(ErrorCode.INVALID_FIELD, TriggerDefinitionParser.EXPIRES_AT,
          "expires_at " + ExpiryParser.format(definition.expiresAt()) + " has passed: a trigger that never "
              + "evaluates is a mistake");
    }
    return definition;
  }

  private void checkTarget(URI url) {
    targets.refusal(url).ifPresent(refusal -> {
      throw new TriggerDefinitionException(ErrorCode.TARGET_NOT_ALLOWED, "webhook.url", refusal);
    });
  }

  /** A name not among {@code delivery.tls.client_certificates} is a 400 naming the field and the configured names. */
  private void checkClientCertificate(String name) {
    if (!clientCertificates.contains(name)) {
      throw new TriggerDefinitionException(ErrorCode.INVALID_FIELD, CLIENT_CERTIFICATE_FIELD, CLIENT_CERTIFICATE_FIELD
          + " '" + name + "' is not a configured client certificate (delivery.tls.client_certificates: "
          + (clientCertificates.isEmpty() ? "none" : String.join(", ", clientCertificates)) + ")");
    }
  }

  private void announce(String name, String source, String change) {
    vertx.eventBus().publish(BusAddresses.TRIGGERS_CHANGED,
        new JsonObject().put("name", name).put("source", source).put("change", change));
  }

  private static String reason(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> "no answer in time";
        case NO_HANDLERS -> "not running";
        case RECIPIENT_FAILURE -> reply.getMessage();
        default -> reply.getMessage();
      };
    }
    return String.valueOf(failure.getMessage());
  }
}
