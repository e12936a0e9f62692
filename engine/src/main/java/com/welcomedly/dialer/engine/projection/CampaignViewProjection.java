package com.welcomedly.dialer.engine.projection;

import com.welcomedly.dialer.engine.campaign.Campaign;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The campaign read model ({@code campaign_view}): name, status and dial mode of every campaign,
 * for listings and for finding the campaigns that need a dialer after a restart.
 */
public final class CampaignViewProjection {
  public static final String NAME = "campaign-view";

  private CampaignViewProjection() {}

  public static void init(ActorSystem<?> system) {
    TaggedProjections.<Campaign.Event>exactlyOnce(
        system, NAME, Campaign.TAGS, CampaignViewProjectionHandler::new);
  }
}
