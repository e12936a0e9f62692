package com.welcomedly.dialer.engine.agent;

import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One agent's changes as they are stored: the current state first, then every event from the
 * journal ({@code eventsByPersistenceId}), each with the agent's summary right after it. Works on
 * any node, whichever node hosts the entity; the latency is the read journal's refresh interval
 * ({@code jdbc-read-journal.refresh-interval}).
 *
 * <p>The first summary and the journal position come from one reply of the entity ({@link
 * Agent.GetPosition}), so no event is missed or shown twice between the two. The feed folds the
 * events with the entity's own rules ({@link AgentState#apply}), so it shows exactly the states the
 * entity went through, with time accounting as of each event.
 */
public final class AgentFeed {

  /** One step: the event (null for the initial state) and the agent's summary right after it. */
  public record Update(Agent.Event event, Agent.Summary summary) {}

  private record Step(AgentState state, Update update) {}

  private AgentFeed() {}

  public static Source<Update, NotUsed> of(
      ActorSystem<?> system, String agentId, Duration askTimeout, Clock clock) {
    JdbcReadJournal journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    String persistenceId = PersistenceId.of(Agent.ENTITY_KEY.name(), agentId).id();
    return Source.completionStage(
            ClusterSharding.get(system)
                .entityRefFor(Agent.ENTITY_KEY, agentId)
                .ask(Agent.GetPosition::new, askTimeout))
        .flatMapConcat(
            position ->
                journal
                    .eventsByPersistenceId(persistenceId, position.sequenceNr() + 1, Long.MAX_VALUE)
                    .map(envelope -> (Agent.Event) envelope.event())
                    .scan(
                        new Step(
                            position.state(),
                            new Update(null, position.state().toSummary(agentId, clock.instant()))),
                        (step, event) -> {
                          AgentState next = step.state().apply(event);
                          return new Step(
                              next, new Update(event, next.toSummary(agentId, event.at())));
                        })
                    .map(Step::update));
  }
}
