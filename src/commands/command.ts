// What every `sro` command is: a name, help text, its options, and a run function.
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { Logger } from '../shell/log.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Parsed option values. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** Loads and validates the environment (throws ConfigError listing every problem). */
  config(): Config;
  /** The configuration with some variables overridden (e.g. the demo's own database). */
  configWith(overrides: Record<string, string>): Config;
  log: Logger;
  stdout: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  signal: AbortSignal;
}

/** What `sro --help` lists; the command itself is loaded when it runs. */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  load(): Promise<Command>;
}

export interface Command {
  /** Full help: what it does, options, examples. */
  help: string;
  options: Options;
  /** Allowed positional argument count [min, max]. */
  positionals?: [number, number];
  /** Returns the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/** Bad command-line usage: exit 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** Invalid input (roster, dates, configuration): exit 1. */
export class InputError extends Error {
  readonly code = 'INVALID_INPUT';
}
