import type { Command } from './command.ts';
import { migrateCommand } from './migrate.ts';
import { importCommand } from './import.ts';
import { reportCommand } from './report.ts';
import { scanCommand } from './scan.ts';
import { digestCommand } from './digest.ts';
import { alertsCommand } from './alerts.ts';
import { workerCommand } from './worker.ts';
import { demoCommand } from './demo.ts';

export const commands: readonly Command[] = [migrateCommand, importCommand, reportCommand, scanCommand, digestCommand, alertsCommand, workerCommand, demoCommand];
