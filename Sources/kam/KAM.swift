import ArgumentParser
import Foundation

@main
struct KAM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kam",
        abstract: "An LLM agent for account teams: client memory, prompts, drafts a person approves.",
        version: "0.1.0",
        subcommands: [
            DemoCommand.self,
            TokensCommand.self,
            ImportCommand.self,
            ClientsCommand.self, ContactsCommand.self, LogCommand.self, TaskCommand.self, DealCommand.self,
            ContextCommand.self,
            RememberCommand.self,
            ForgetCommand.self,
            SchemaCommand.self,
            AnonymizeCommand.self,
            PromptsCommand.self,
            EvalCommand.self, ExperimentCommand.self,
            ConfigCommand.self, ModelsCommand.self, BudgetCommand.self, UsageCommand.self,
            EmailCommand.self,
            RunCommand.self, DraftCommand.self, FeedbackCommand.self, StyleCommand.self, SuggestCommand.self, HealthCommand.self,
            LeadCommand.self, LeadsCommand.self, CampaignsCommand.self, DatabaseCommand.self, PlanCommand.self, TicketsCommand.self,
            ExportCommand.self, RetentionCommand.self,
            ServeCommand.self, UsersCommand.self, TeamsCommand.self, KeysCommand.self,
            WebhooksCommand.self, EventsCommand.self,
            JobsCommand.self, RulesCommand.self, InboxCommand.self, AnalyticsCommand.self,
            ExitCodesCommand.self,
        ]
    )
}
