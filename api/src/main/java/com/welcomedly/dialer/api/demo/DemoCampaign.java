package com.welcomedly.dialer.api.demo;

import com.welcomedly.dialer.engine.campaign.Campaign;
import com.welcomedly.dialer.engine.campaign.CampaignConfig;
import com.welcomedly.dialer.engine.compliance.CallingWindow;
import com.welcomedly.dialer.engine.leadimport.BulkLeadWriter;
import com.welcomedly.dialer.engine.leadimport.ImportRow;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's campaign: created, started and paused through the Campaign entity like any other, and
 * filled with generated leads through the node's bulk lead path (the one {@code POST
 * /api/campaigns/{id}/leads} runs). The campaign starts before the leads arrive: each batch is
 * dialable as soon as it commits.
 */
public final class DemoCampaign {
  private static final Logger log = LoggerFactory.getLogger(DemoCampaign.class);

  static final String DIAL_STRING = "Local/{number}@sim-customer";
  static final String CALLER_ID = "+12127363100";
  static final String BY = "demo";
  // Power pacing: lines per free agent. With about a third of calls reaching a person this keeps
  // agents busy without the abandons a higher ratio causes.
  private static final double POWER_RATIO = 2.0;
  // A fresh node's shards need a moment: the first ask is retried this often, a second apart.
  private static final int STARTUP_RETRIES = 30;

  private final ActorSystem<?> system;
  private final String campaignId;
  private final DemoOptions options;
  private final Duration askTimeout;
  private final AtomicInteger imported = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();

  public DemoCampaign(ActorSystem<?> system, String campaignId, DemoOptions options) {
    this.system = system;
    this.campaignId = campaignId;
    this.options = options;
    this.askTimeout = system.settings().config().getDuration("dialer.api.ask-timeout");
  }

  String id() {
    return campaignId;
  }

  /**
   * The engine's defaults except: the calling window is open around the clock (so the demo dials
   * whatever the time of day), answering-machine detection is on (machines are hung up, not handed
   * to agents), and the demo's mode and agents.
   */
  static CampaignConfig config(CampaignConfig.DialMode mode, Set<String> agents) {
    CampaignConfig d = CampaignConfig.defaults(DIAL_STRING, CALLER_ID);
    CampaignConfig.Pacing p = d.pacing();
    return d.toBuilder()
        .pacing(
            new CampaignConfig.Pacing(
                mode,
                p.targetAbandonPercent(),
                p.abandonWindow(),
                p.maxLinesPerAgent(),
                POWER_RATIO,
                p.minReadyAgents()))
        .callingWindow(CallingWindow.everyDay(LocalTime.MIN, LocalTime.MAX))
        .amd(new CampaignConfig.Amd(true, CampaignConfig.MachineReaction.HANG_UP))
        .assignedAgents(agents)
        .build();
  }

  /** Creates the campaign once its shard answers (right after start the cluster may not be Up). */
  public CompletionStage<Campaign.Summary> create(Set<String> agents) {
    CompletionStage<Campaign.Summary> shardUp =
        Patterns.retry(
            () ->
                ClusterSharding.get(system)
                    .entityRefFor(Campaign.ENTITY_KEY, campaignId)
                    .ask(Campaign.GetSummary::new, askTimeout),
            STARTUP_RETRIES,
            Duration.ofSeconds(1),
            Adapter.toClassic(system).scheduler(),
            system.executionContext());
    return shardUp.thenCompose(
        existing ->
            step(
                r ->
                    new Campaign.Create(
                        "Demo (" + options.mode().name().toLowerCase() + ")",
                        config(options.mode(), agents),
                        BY,
                        r)));
  }

  public CompletionStage<Campaign.Summary> start() {
    return step(r -> new Campaign.Start(BY, r));
  }

  public CompletionStage<Campaign.Summary> pause(String reason) {
    return step(r -> new Campaign.Pause(reason, BY, r));
  }

  /**
   * Imports the generated leads through the node's bulk path ({@link BulkLeadWriter}, what {@code
   * POST /api/campaigns/{id}/leads} runs): the Lead entity's admission rules, staged in batches
   * straight into the hopper, each Lead entity starting on first use (docs/import.md). Rows are
   * generated as the batches go, so memory holds a batch or two whatever the list size. A refused
   * lead is counted and the import goes on (none should be: the numbers are valid and the ids new).
   * The kill switch stops it early (the node is shutting down); the stage then completes.
   */
  public Pair<UniqueKillSwitch, CompletionStage<Done>> importLeads(LeadGenerator generator) {
    BulkLeadWriter writer = BulkLeadWriter.get(system);
    String jobId = "demo-" + campaignId;
    return Source.range(0, options.leads() - 1)
        .viaMat(KillSwitches.single(), Keep.right())
        .map(i -> row(generator, i))
        .via(writer.stage(campaignId, jobId))
        .map(
            result -> {
              imported.addAndGet(result.accepted());
              if (!result.rejections().isEmpty()
                  && rejected.getAndAdd(result.rejections().size()) == 0) {
                log.warn("Demo lead refused: {}", result.rejections().get(0));
              }
              return result;
            })
        .toMat(Sink.ignore(), Keep.both())
        .withAttributes(ActorAttributes.dispatcher(BulkLeadWriter.DISPATCHER))
        .run(system);
  }

  private static ImportRow row(LeadGenerator generator, int i) {
    LeadGenerator.DemoLead lead = generator.lead(i);
    return new ImportRow.Valid(
        i + 1,
        lead.leadId(),
        List.of(lead.number()),
        lead.timezone(),
        lead.priority(),
        lead.customFields());
  }

  public int imported() {
    return imported.get();
  }

  int rejected() {
    return rejected.get();
  }

  private CompletionStage<Campaign.Summary> step(
      Function<ActorRef<StatusReply<Campaign.Summary>>, Campaign.Command> command) {
    return ClusterSharding.get(system)
        .entityRefFor(Campaign.ENTITY_KEY, campaignId)
        .askWithStatus(command::apply, askTimeout);
  }
}
