package com.welcomedly.dialer.engine.gamification;

import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.projection.TaggedProjections;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Points, badges and leaderboards ({@code db/07-gamification.sql}) from the Lead events, exactly
 * once: the points are added in the transaction that stores the offset, so a replayed event never
 * counts twice and a rebuild from an empty offset gives the same standings. Queried by {@link
 * LeaderboardQuery}.
 */
public final class GamificationProjection {
  public static final String NAME = "gamification";

  private GamificationProjection() {}

  public static void init(ActorSystem<?> system) {
    TaggedProjections.<Lead.Event>exactlyOnce(
        system,
        NAME,
        Lead.TAGS,
        () -> new GamificationProjectionHandler(system.settings().config()));
  }
}
