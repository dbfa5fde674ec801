package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.RetryDefaults;
import io.tycostream.triggers.definition.TriggerDefinitionParser.ParsedTrigger;
import io.tycostream.triggers.definition.WebhookTargetPolicy;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.Store;
import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Creates the triggers of the configuration's {@code triggers:} list (the demo) at startup, each only if no trigger
 * of that name exists: a stored trigger is never overwritten, and a configured trigger deleted over the API comes back
 * at the next start, because the file still asks for it.
 * <p>
 * Same checks as the API ({@link TriggerRegistration}); the only difference is patience: a source that has not
 * discovered its schema yet is asked again every {@link #DEFAULT_RETRY_INTERVAL} for up to {@link #DEFAULT_PATIENCE}.
 * Any other problem (an invalid condition, a refused target) fails {@link #ensure} with a message naming the trigger
 * and the field. Call from a Vert.x context, after the sources were deployed.
 */
public final class ConfiguredTriggers {

  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(ConfiguredTriggers.class);

  private final Vertx vertx;
  private final Store store;
  private final TriggerRegistration registration;
  private final Duration retryInterval;
  private final Duration patience;

  public ConfiguredTriggers(Vertx vertx, Store store, Collection<String> sources, WebhookTargetPolicy targets) {
    this(vertx, store, sources, targets, DEFAULT_PATIENCE);
  }

  /** @param patience how long to keep retrying a trigger whose source has not reported its schema yet */
  public ConfiguredTriggers(Vertx vertx, Store store, Collection<String> sources, WebhookTargetPolicy targets,
                            Duration patience) {
    this(vertx, store, new TriggerRegistration(vertx, store, sources, targets), DEFAULT_RETRY_INTERVAL, patience);
  }

  ConfiguredTriggers(Vertx vertx, Store store, TriggerRegistration registration, Duration retryInterval,
                     Duration patience) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.registration = Objects.requireNonNull(registration, "registration");
    this.retryInterval = retryInterval;
    this.patience = patience;
  }

  /**
   * What the configured triggers' own {@code retry} and {@code timeout} fall back to and must keep within (the
   * delivery settings); {@link RetryDefaults#STANDARD} unless called before {@link #ensure}.
   */
  public ConfiguredTriggers withRetryDefaults(RetryDefaults defaults) {
    registration.withRetryDefaults(defaults);
    return this;
  }

  /**
   * The names of {@code delivery.tls.client_certificates} the configured triggers may choose; none unless called
   * before {@link #ensure}.
   */
  public ConfiguredTriggers withClientCertificates(List<String> names) {
    registration.withClientCertificates(names);
    return this;
  }

  /** Creates, one after the other, every trigger of {@code triggers} whose name is not taken yet. */
  public Future<Void> ensure(List<ParsedTrigger> triggers) {
    Future<Void> chain = Future.succeededFuture();
    for (ParsedTrigger trigger : triggers) {
      chain = chain.compose(previous -> ensureOne(trigger));
    }
    return chain;
  }

  private Future<Void> ensureOne(ParsedTrigger trigger) {
    String name = trigger.definition().name();
    return store.getTrigger(name).compose(found -> {
      if (found.isPresent()) {
        LOG.info("configured trigger already exists, kept as stored [trigger: {}]", name);
        return Future.succeededFuture();
      }
      long deadline = System.nanoTime() + patience.toNanos();
      return createWhenSourceReady(trigger, deadline);
    });
  }

  private Future<Void> createWhenSourceReady(ParsedTrigger trigger, long deadlineNanos) {
    String name = trigger.definition().name();
    return registration.create(trigger, ChangeAuthor.config()).<Void>mapEmpty().recover(failure -> {
      if (failure instanceof StoreException store && store.storeCode() == StoreErrorCode.DUPLICATE) {
        // created meanwhile (another node, or the API): the name is taken, which is all ensure promises
        return Future.succeededFuture();
      }
      ServiceException answer = ServiceException.of(failure);
      boolean notReady = answer.code() == ErrorCode.SOURCE_NOT_READY;
      if (notReady && System.nanoTime() + retryInterval.toNanos() < deadlineNanos) {
        LOG.debug("source not ready, retrying configured trigger [trigger: {}]", name);
        return vertx.timer(retryInterval.toMillis()).compose(fired -> createWhenSourceReady(trigger, deadlineNanos));
      }
      String field = answer.field() == null ? "" : ", field: " + answer.field();
      return Future.failedFuture(new IllegalStateException("configured trigger '" + name + "' cannot be created ["
          + answer.code().code() + field + "]: " + answer.getMessage(), failure));
    });
  }
}
