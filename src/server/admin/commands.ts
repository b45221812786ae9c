import type { z } from 'zod';
import type { Store } from '../store/store';
import { AdminError } from './admin-error';
import type { CommandContext } from './command-context';
import { devicesArgsSchema, runDevices } from './devices-command';
import { enrollmentCodeArgsSchema, runEnrollmentCode } from './enrollment-command';
import { importArgsSchema, runImport } from './import-command';
import { runSeed, seedArgsSchema } from './seed-command';

interface AdminCommand<S extends z.ZodType> {
  readonly args: S;
  run(store: Store, args: z.output<S>, ctx: CommandContext): Promise<object>;
}

const define = <S extends z.ZodType>(command: AdminCommand<S>) => command;

/**
 * Every admin command, by the name the CLI and the admin channel (POST /api/admin/<name>) use.
 * Each takes a Store: run by the CLI on a store it opened, or by the server on its own store,
 * it is the same code with the same checks either way.
 */
export const ADMIN_COMMANDS = {
  'enrollment-code': define({ args: enrollmentCodeArgsSchema, run: runEnrollmentCode }),
  devices: define({ args: devicesArgsSchema, run: runDevices }),
  seed: define({ args: seedArgsSchema, run: runSeed }),
  import: define({ args: importArgsSchema, run: runImport }),
} as const;

export type AdminCommandName = keyof typeof ADMIN_COMMANDS;

export function isAdminCommandName(name: string): name is AdminCommandName {
  return Object.hasOwn(ADMIN_COMMANDS, name);
}

/** Checks the arguments (they may come from the network), then runs the command. */
export async function runAdminCommand(
  store: Store,
  name: AdminCommandName,
  rawArgs: unknown,
  ctx: CommandContext,
): Promise<object> {
  const command: AdminCommand<z.ZodType> = ADMIN_COMMANDS[name];
  const parsed = command.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdminError(
      'invalid_arguments',
      `Tham số không hợp lệ${issue ? ` (${issue.path.join('.') || 'tham số'}: ${issue.message})` : ''}.`,
    );
  }
  return command.run(store, parsed.data, ctx);
}
