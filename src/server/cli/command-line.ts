import { parseArgs } from 'node:util';
import type { DevicesArgs } from '../admin/devices-command';
import type { EnrollmentCodeArgs } from '../admin/enrollment-command';
import type { SeedArgs } from '../admin/seed-command';

/** What the command line asks for; `usage` problems exit with code 2. */
export type CommandLine =
  | { readonly kind: 'help'; readonly json: boolean }
  | { readonly kind: 'usage'; readonly json: boolean; readonly message: string }
  | {
      readonly kind: 'enrollment-code';
      readonly json: boolean;
      readonly args: EnrollmentCodeArgs;
      readonly serverUrl: string | undefined;
    }
  | { readonly kind: 'devices'; readonly json: boolean; readonly args: DevicesArgs }
  | { readonly kind: 'seed'; readonly json: boolean; readonly args: SeedArgs }
  | { readonly kind: 'import'; readonly json: boolean; readonly file: string };

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  commune: { type: 'string' },
  villages: { type: 'string' },
  expires: { type: 'string' },
  'server-url': { type: 'string' },
  revoke: { type: 'string' },
  households: { type: 'string' },
  seed: { type: 'string' },
  year: { type: 'string' },
} as const;
type OptionName = keyof typeof OPTIONS;
type Values = { [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

const ALLOWED: Record<string, readonly OptionName[]> = {
  'enrollment-code': ['commune', 'villages', 'expires', 'server-url'],
  devices: ['commune', 'revoke'],
  seed: ['commune', 'households', 'seed', 'year'],
  import: [],
  help: [],
};

const UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
export const DEFAULT_EXPIRES = '7d';

/** "7d", "12h", "30m" → milliseconds; undefined when it is not that shape. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})\s*([dhm])$/i.exec(text.trim());
  const unit = match?.[2] ? UNITS_MS[match[2].toLowerCase()] : undefined;
  return match?.[1] && unit ? Number(match[1]) * unit : undefined;
}

class UsageError extends Error {}

function integer(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,10}$/.test(text.trim()))
    throw new UsageError(`--${name} phải là một số nguyên không âm (nhận được "${text}").`);
  return Number(text.trim());
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`Thiếu --${name}.`);
  return value.trim();
}

function commandFrom(command: string, values: Values, rest: readonly string[]): CommandLine {
  const json = values.json === true;
  switch (command) {
    case 'enrollment-code': {
      const expires = values.expires ?? DEFAULT_EXPIRES;
      const expiresInMs = parseDuration(expires);
      if (expiresInMs === undefined)
        throw new UsageError(`--expires phải có dạng 7d, 12h hoặc 30m (nhận được "${expires}").`);
      const villages = values.villages
        ?.split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      if (villages !== undefined && villages.length === 0)
        throw new UsageError('--villages cần ít nhất một thôn/khu phố.');
      const serverUrl = values['server-url'];
      if (serverUrl !== undefined && !/^https?:\/\/[^\s/]+/i.test(serverUrl))
        throw new UsageError(`--server-url phải là địa chỉ http:// hoặc https:// (nhận được "${serverUrl}").`);
      return {
        kind: 'enrollment-code',
        json,
        args: { communeCode: required('commune', values.commune), villages: villages ?? null, expiresInMs },
        serverUrl,
      };
    }
    case 'devices':
      return { kind: 'devices', json, args: { communeCode: values.commune?.trim(), revoke: values.revoke?.trim() } };
    case 'seed': {
      const households = integer('households', required('households', values.households));
      return {
        kind: 'seed',
        json,
        args: {
          communeCode: required('commune', values.commune),
          households: households ?? 0,
          seed: integer('seed', values.seed),
          year: integer('year', values.year),
        },
      };
    }
    case 'import': {
      const file = rest[0];
      if (file === undefined) throw new UsageError('Thiếu tên tệp: npm run admin -- import <tệp.json>.');
      if (rest.length > 1) throw new UsageError('Mỗi lần chỉ nhập một tệp.');
      return { kind: 'import', json, file };
    }
    default:
      throw new UsageError(`Không có lệnh "${command}". Các lệnh: enrollment-code, devices, seed, import, help.`);
  }
}

/** Parses argv (after `npm run admin --`); `--json` may stand anywhere, before or after the command. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    const [command, ...rest] = positionals;
    if (values.help === true || command === undefined || command === 'help') return { kind: 'help', json };
    const allowed = ALLOWED[command] ?? [];
    const stray = (Object.keys(values) as OptionName[]).filter(
      (name) => name !== 'json' && name !== 'help' && !allowed.includes(name),
    );
    if (ALLOWED[command] && stray.length > 0)
      throw new UsageError(`Lệnh ${command} không nhận ${stray.map((s) => `--${s}`).join(', ')}.`);
    if (command !== 'import' && rest.length > 0) throw new UsageError(`Thừa tham số: ${rest.join(' ')}.`);
    return commandFrom(command, values, rest);
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'usage', json, message: error.message };
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw error;
    // parseArgs speaks English: say the same in Vietnamese, naming the option.
    const option = /'(-{1,2}[^'\s,]+)/.exec((error as Error).message)?.[1] ?? '';
    const message =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `Không có tùy chọn ${option}.`
        : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `Tùy chọn ${option} cần một giá trị.`
          : `Tham số không hợp lệ (${option || code}).`;
    return { kind: 'usage', json, message };
  }
}
