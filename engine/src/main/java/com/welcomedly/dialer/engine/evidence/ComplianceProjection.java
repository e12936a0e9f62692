package com.welcomedly.dialer.engine.evidence;

import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.projection.TaggedProjections;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The compliance evidence read model ({@code db/05-compliance.sql}): the facts of every call,
 * regulatory refusal and campaign change, copied from the journal exactly once. {@link
 * ComplianceQuery} turns them into a {@link ComplianceReport} for any period. To rebuild: delete
 * the rows of the {@code compliance_*} tables and the offsets of these two projection names, then
 * restart the nodes.
 */
public final class ComplianceProjection {
  public static final String LEAD_NAME = "compliance-lead";
  public static final String CAMPAIGN_NAME = "compliance-campaign";

  private ComplianceProjection() {}

  public static void init(ActorSystem<?> system) {
    TaggedProjections.<Lead.Event>exactlyOnce(
        system, LEAD_NAME, Lead.TAGS, ComplianceLeadHandler::new);
    TaggedProjections.<Campaign.Event>exactlyOnce(
        system, CAMPAIGN_NAME, Campaign.TAGS, ComplianceCampaignHandler::new);
  }
}
