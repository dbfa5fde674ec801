package io.tycostream.triggers.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.vertx.core.Future;

import static io.tycostream.triggers.store.StoreFixture.await;
import static io.tycostream.triggers.store.StoreFixture.failureOf;
import static io.tycostream.triggers.store.StoreFixture.trigger;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the bounds of the trigger catalogue: keyset pages cut by count and by definition size, and the trigger
 * limits counted in the inserting transaction, also under concurrent creations. Runs on every dialect through a
 * subclass that supplies the database.
 */
public abstract class TriggerCatalogueBoundsContract extends StoreContract {

  /** Length of {@link StoreFixture#trigger}'s definition. */
  private static final int DEFINITION_CHARS = trigger("x").definitionJson().length();

  /** Verifies that pages follow each other by name, the last one telling that nothing follows. */
  @Test
  public void pagesByNameUntilTheLastPage() {
    // GIVEN four triggers created out of order
    for (String name : List.of("d", "b", "a", "c")) {
      await(store.createTrigger(trigger(name)));
    }

    // WHEN they are read two at a time, each page after the previous one's last name
    TriggerPage first = await(store.listTriggers(null, 2, Long.MAX_VALUE));
    TriggerPage second = await(store.listTriggers(first.lastName(), 2, Long.MAX_VALUE));

    // THEN the pages hold a, b and then c, d, and the second (exactly full) one says it is the last
    assertThat(first.triggers()).extracting(StoredTrigger::name).containsExactly("a", "b");
    assertThat(first.lastName()).isEqualTo("b");
    assertThat(second.triggers()).extracting(StoredTrigger::name).containsExactly("c", "d");
    assertThat(second.hasMore()).isFalse();
    assertThat(await(store.listTriggers("d", 2, Long.MAX_VALUE)).triggers()).isEmpty();
  }

  /** Verifies that a page ends once its definitions reach the size budget, but always holds one trigger. */
  @Test
  public void cutsPagesByDefinitionSize() {
    // GIVEN five triggers
    for (String name : List.of("a", "b", "c", "d", "e")) {
      await(store.createTrigger(trigger(name)));
    }

    // WHEN pages of up to 10 are read with a budget of two and a half definitions, then of less than one
    TriggerPage bySize = await(store.listTriggers(null, 10, DEFINITION_CHARS * 5L / 2));
    TriggerPage tiny = await(store.listTriggers("c", 10, 1));

    // THEN the first page stops with the trigger crossing the budget, and more follow
    assertThat(bySize.triggers()).extracting(StoredTrigger::name).containsExactly("a", "b", "c");
    assertThat(bySize.lastName()).isEqualTo("c");
    // AND a budget smaller than one definition still moves forward, one trigger at a time
    assertThat(tiny.triggers()).extracting(StoredTrigger::name).containsExactly("d");
    assertThat(tiny.lastName()).isEqualTo("d");
    TriggerPage last = await(store.listTriggers("d", 10, 1));
    assertThat(last.triggers()).extracting(StoredTrigger::name).containsExactly("e");
    assertThat(last.hasMore()).isFalse();
  }

  /** Verifies the total and per-source limits, each failure naming which limit was reached. */
  @Test
  public void refusesCreationsBeyondTheLimits() {
    // GIVEN limits of 3 triggers in total and 2 per source, and 2 triggers on positions
    TriggerLimits limits = new TriggerLimits(3, 2);
    await(store.createTrigger(trigger("p1"), limits));
    await(store.createTrigger(trigger("p2"), limits));

    // WHEN a third trigger on positions, one on orders, and then a fourth in all are created
    Throwable perSource = failureOf(store.createTrigger(trigger("p3"), limits));
    await(store.createTrigger(new NewTrigger("o1", "orders", "{}", "s"), limits));
    Throwable total = failureOf(store.createTrigger(new NewTrigger("o2", "orders", "{}", "s"), limits));

    // THEN the per-source limit refuses the first (field source), the total limit the last (no field)
    assertThat(((StoreException) perSource).storeCode()).isEqualTo(StoreErrorCode.LIMIT_REACHED);
    assertThat(((StoreException) perSource).field()).isEqualTo("source");
    assertThat(((StoreException) total).storeCode()).isEqualTo(StoreErrorCode.LIMIT_REACHED);
    assertThat(((StoreException) total).field()).isNull();
    assertThat(await(store.listTriggers())).extracting(StoredTrigger::name).containsExactly("o1", "p1", "p2");
    // AND a duplicate within the limits is still a DUPLICATE
    await(store.deleteTrigger("o1"));
    Throwable duplicate = failureOf(store.createTrigger(new NewTrigger("p1", "orders", "{}", "s"), limits));
    assertThat(((StoreException) duplicate).storeCode()).isEqualTo(StoreErrorCode.DUPLICATE);
  }

  /** Verifies that creations racing each other never exceed the total limit. */
  @Test
  public void concurrentCreationsStayWithinTheLimit() {
    // GIVEN a limit of 5 triggers
    TriggerLimits limits = new TriggerLimits(5, 5);

    // WHEN 12 creations are started at once
    List<Future<StoredTrigger>> creations = new ArrayList<>();
    IntStream.range(0, 12).forEach(i -> creations.add(store.createTrigger(trigger("t" + i), limits)));
    await(Future.join(creations).otherwiseEmpty());

    // THEN exactly 5 succeeded and the others were refused by the limit
    assertThat(creations.stream().filter(Future::succeeded).count()).isEqualTo(5);
    assertThat(creations.stream().filter(Future::failed)
        .map(failed -> ((StoreException) failed.cause()).storeCode())).containsOnly(StoreErrorCode.LIMIT_REACHED);
    assertThat(await(store.listTriggers())).hasSize(5);
  }
}
