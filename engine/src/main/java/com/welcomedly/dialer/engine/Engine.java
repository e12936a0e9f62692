package com.welcomedly.dialer.engine;

import com.welcomedly.dialer.engine.agent.Agent;
import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.dialing.CampaignDialer;
import com.welcomedly.dialer.engine.dialing.DialerSupervisor;
import com.welcomedly.dialer.engine.dialing.DispositionRelay;
import com.welcomedly.dialer.engine.evidence.ComplianceProjection;
import com.welcomedly.dialer.engine.gamification.GamificationProjection;
import com.welcomedly.dialer.engine.health.NodeProbe;
import com.welcomedly.dialer.engine.identity.User;
import com.welcomedly.dialer.engine.lead.Lead;
import com.welcomedly.dialer.engine.leadimport.LeadIntakeStore;
import com.welcomedly.dialer.engine.persistence.JdbcPool;
import com.welcomedly.dialer.engine.projection.AgentViewProjection;
import com.welcomedly.dialer.engine.projection.CampaignViewProjection;
import com.welcomedly.dialer.engine.projection.HopperProjection;
import com.welcomedly.dialer.engine.stats.StatsProjection;
import com.welcomedly.dialer.engine.summary.CallSummaryRelay;
import com.welcomedly.dialer.engine.telephony.AmiGateway;
import com.welcomedly.dialer.engine.telephony.AmiGatewaySettings;
import com.welcomedly.dialer.engine.telephony.TelephonyGateway;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * Wires the engine into an ActorSystem: entity sharding, projections, the telephony gateway and the
 * per-campaign dialers. The api module's {@code Main.init} calls this once per node, and
 * integration tests call it on their own systems.
 */
public final class Engine {

  private Engine() {}

  public static void init(ActorSystem<?> system) {
    // Opens the read-side pool now, so a wrong URL fails the start instead of the first query.
    JdbcPool.get(system);
    User.init(system);
    Campaign.init(system);
    Lead.init(system, new LeadIntakeStore(system));
    Agent.init(system);
    HopperProjection.init(system);
    CampaignViewProjection.init(system);
    StatsProjection.init(system);
    ComplianceProjection.init(system);
    NodeProbe.init(system);
    AgentViewProjection.init(system);
    DispositionRelay.init(system);
    CallSummaryRelay.init(system);
    GamificationProjection.init(system);
    // One gateway per node: the dialers on this node originate through it.
    ActorRef<TelephonyGateway.Command> gateway =
        system.systemActorOf(
            AmiGateway.create(AmiGatewaySettings.fromConfig(system.settings().config())),
            "ami-gateway",
            // The event path's dispatcher, with the dialers (docs/throughput.md).
            DispatcherSelector.fromConfig(CampaignDialer.DISPATCHER));
    CampaignDialer.init(system, gateway);
    DialerSupervisor.init(system);
  }
}
