package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.lead.Lead;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The hopper read model ({@code hopper_lead}): every lead with what ordering and filtering need.
 * Fed exactly-once from the Lead entities' tagged events; queried by {@link HopperQuery}.
 */
public final class HopperProjection {
  public static final String NAME = "hopper";

  private HopperProjection() {}

  public static void init(ActorSystem<?> system) {
    TaggedProjections.<Lead.Event>exactlyOnce(
        system, NAME, Lead.TAGS, HopperProjectionHandler::new);
  }
}
