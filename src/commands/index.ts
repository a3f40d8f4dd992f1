// Every `sro` command: its name, summary and usage line here (what `sro --help` needs), its
// module loaded only when the command runs, so `sro --help` and `sro --version` load no
// database, queue or mail client.
import type { Command, CommandSpec } from './command.ts';

export const commands: readonly CommandSpec[] = [
  {
    name: 'migrate',
    summary: 'create the database if missing and apply migrations (idempotent)',
    usage: 'sro migrate',
    load: async (): Promise<Command> => (await import('./migrate.ts')).migrateCommand,
  },
  {
    name: 'import',
    summary: 'load a roster (.json file or folder of CSV files)',
    usage: 'sro import PATH [--replace [--allow-empty SECTION]...]',
    load: async (): Promise<Command> => (await import('./import.ts')).importCommand,
  },
  {
    name: 'report',
    summary: 'status of every officer as of a date',
    usage: 'sro report [--as-of D] [--json | --format csv|pdf] [--agency A] [--district D] [--status S]',
    load: async (): Promise<Command> => (await import('./report.ts')).reportCommand,
  },
  {
    name: 'evidence',
    summary: "the auditor's evidence packet: the report as a PDF, a CSV and the certificates",
    usage: 'sro evidence --output FILE.zip [--as-of D] [--agency ID | --district ID]',
    load: async (): Promise<Command> => (await import('./evidence.ts')).evidenceCommand,
  },
  {
    name: 'scan',
    summary: 'find the alerts due as of a date and send them',
    usage: 'sro scan [--as-of D] [--dry-run] [--skip-stale] [--wait S] [--json]',
    load: async (): Promise<Command> => (await import('./scan.ts')).scanCommand,
  },
  {
    name: 'digest',
    summary: 'build and send the weekly digests as of a date',
    usage: 'sro digest [--as-of D] [--dry-run] [--wait S] [--json]',
    load: async (): Promise<Command> => (await import('./digest.ts')).digestCommand,
  },
  {
    name: 'alerts',
    summary: 'the alert ledger: every e-mail owed, sent, failed or superseded',
    usage: 'sro alerts [--officer LICENSE] [--json]',
    load: async (): Promise<Command> => (await import('./alerts.ts')).alertsCommand,
  },
  {
    name: 'worker',
    summary: 'the long-running service: cron, queue workers, /livez, /readyz and /metrics',
    usage: 'sro worker [--as-of D]',
    load: async (): Promise<Command> => (await import('./worker.ts')).workerCommand,
  },
  {
    name: 'bounces',
    summary: 'the SMTP receiver of bounces and abuse reports for BOUNCE_DOMAIN',
    usage: 'sro bounces',
    load: async (): Promise<Command> => (await import('./bounces.ts')).bouncesCommand,
  },
  {
    name: 'web',
    summary: 'the console: sign-in by e-mail, each person sees their own officers',
    usage: 'sro web',
    load: async (): Promise<Command> => (await import('./web.ts')).webCommand,
  },
  {
    name: 'demo',
    summary: 'load the demo roster, scan and digest into the outbox, show where to look',
    usage: 'sro demo [--as-of D] [--console]',
    load: async (): Promise<Command> => (await import('./demo.ts')).demoCommand,
  },
];
